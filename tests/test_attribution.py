"""The attribution annotator: cues, stance, sources, contents, hedges and vague sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from annotator_plugins.attribution import (
    BUILTIN_LEXICON,
    Attribution,
    inflections,
    load_lexicon,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from annotator import Article, ConfigError, find_quotes
from annotator.pipeline import annotation_record

from .conftest import GOLD, SEEDS


@pytest.fixture(scope="module")
def attribution() -> Attribution:
    """The rules alone: these tests pin the rules (the learned parts: test_attribution_learned)."""
    return Attribution(learned=False)


def annotate(nlp: Any, text: str, annotator: Attribution) -> list[dict[str, Any]]:
    """Annotation records as the host writes them (offsets checked against the text)."""
    article = Article(id="t", text=text, source_path="-")
    return [
        annotation_record(annotator.name, a, text) for a in annotator.annotate(article, nlp(text))
    ]


def cues(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Cue attributes by cue text (continuation cues left out)."""
    return {r["text"]: r["attributes"] for r in records
            if r["label"] == "cue" and not r["attributes"]["continuation"]}


def triples(records: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None, bool]]:
    """(cue, speaker name, content, continuation) of every cue, in document order."""
    return [(r["text"], r["attributes"]["source_name"], name(r["attributes"]["content"]),
             r["attributes"]["continuation"]) for r in records if r["label"] == "cue"]


def labelled(records: list[dict[str, Any]], label: str) -> list[str]:
    return [r["text"] for r in records if r["label"] == label]


def name(span: dict[str, Any] | None) -> str | None:
    return span["text"] if span else None


# ---- lexicon


def test_builtin_lexicon_has_rationale_and_source_for_every_entry() -> None:
    import yaml

    data = yaml.safe_load(BUILTIN_LEXICON.read_text(encoding="utf-8"))
    assert data["kind"] == "cue-lexicon"
    sections = ("verbs", "nouns", "phrases", "modifiers", "hedges", "vague_sources")
    entries = [entry for section in sections for entry in data[section]]
    assert len(data["verbs"]) >= 150
    assert all(entry["rationale"].strip() and entry["source"].strip() for entry in entries)
    assert {v["stance"] for v in data["verbs"]} == {"neutral", "endorsing", "distancing"}


def test_lexicon_without_kind_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text("verbs: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="kind: cue-lexicon"):
        load_lexicon(path)


def test_lexicon_entry_without_rationale_names_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(
        "kind: cue-lexicon\nverbs:\n  - {lemma: say, stance: neutral, category: speech, "
        "source: me}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="verbs entry 1: missing 'rationale'"):
        load_lexicon(path)


def test_unknown_stance_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(
        "kind: cue-lexicon\nverbs:\n  - {lemma: say, stance: sceptical, category: speech, "
        "rationale: r, source: me}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="stance 'sceptical'"):
        load_lexicon(path)


def test_regular_and_irregular_inflections_are_matched() -> None:
    assert {"claims", "claimed", "claiming"} <= inflections("claim")
    assert {"denies", "denied"} <= inflections("deny")
    assert {"notes", "noted", "noting"} <= inflections("note")
    lexicon = load_lexicon(BUILTIN_LEXICON)
    assert lexicon.verbs_by_form["told"].key == "tell"
    assert lexicon.verbs_by_form["wrote"].key == "write"
    assert lexicon.verbs_by_form["admitted"].key == "admit"


def test_custom_lexicon_setting_is_loaded_and_hashed(tmp_path: Path, blank_nlp) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(
        "kind: cue-lexicon\nverbs:\n  - {lemma: opine, stance: distancing, category: speech, "
        "rationale: r, source: me}\n",
        encoding="utf-8",
    )
    annotator = Attribution(lexicon=str(path))
    assert annotator.data_files == [path]
    found = cues(annotate(blank_nlp, "The senator opined that taxes are theft.", annotator))
    assert found["opined"]["stance"] == "distancing"


# ---- blank pipeline: lexical cues, no sources


def test_blank_pipeline_finds_lexical_cues_with_stance_but_no_source(blank_nlp, attribution):
    text = "Trump falsely claimed that Ukraine started the war, according to the report."
    found = cues(annotate(blank_nlp, text, attribution))
    assert found["falsely claimed"]["stance"] == "discrediting"
    assert found["falsely claimed"]["modifier"] == "falsely"
    assert found["falsely claimed"]["has_source"] is False
    assert "according to" in found


def test_blank_pipeline_does_not_take_nouns_or_so_called_for_cues(blank_nlp, attribution):
    text = "The report was published. The so-called plan failed."
    assert cues(annotate(blank_nlp, text, attribution)) == {}


def test_blank_pipeline_pairs_a_quote_before_the_cue(blank_nlp, attribution):
    found = cues(annotate(blank_nlp, "“We are ready to talk,” Zelensky said.", attribution))
    assert found["said"]["quote_type"] == "direct"
    assert found["said"]["content"]["text"] == "“We are ready to talk,”"


# ---- cue spans


def test_auxiliaries_and_negation_belong_to_the_cue(trained_nlp, attribution):
    found = cues(annotate(trained_nlp, "The minister has denied the report.", attribution))
    assert found["has denied"]["entry"] == "deny"
    negated = cues(annotate(trained_nlp, "She did not say whether talks resume.", attribution))
    assert negated["did not say"]["negated"] is True


def test_told_reporters_and_according_to_are_cues(trained_nlp, attribution):
    text = "Karoline Leavitt told reporters that a ceasefire could come next week."
    assert name(cues(annotate(trained_nlp, text, attribution))["told"]["source"]) == (
        "Karoline Leavitt"
    )
    found = cues(annotate(trained_nlp, "The deal is dead, according to Ukrainian officials.",
                          attribution))
    assert name(found["according to"]["source"]) == "Ukrainian officials"


def test_said_in_a_statement_is_one_cue(trained_nlp, attribution):
    found = cues(annotate(trained_nlp, "Trump said in a statement that the deal was done.",
                          attribution))
    assert list(found) == ["said in a statement"]


def test_cues_inside_a_long_direct_quote_are_not_the_outlets(trained_nlp, attribution):
    text = "“I said we would win, and we will win again,” Trump said."
    records = annotate(trained_nlp, text, attribution)
    assert [r["start"] for r in records if r["label"] == "cue"] == [text.rindex("said")]


def test_speaker_label_colon_is_a_cue(blank_nlp, attribution):
    found = cues(annotate(blank_nlp, "Trump: The deal is done and dusted.", attribution))
    assert found[":"]["source_name"] == "Trump"
    assert found[":"]["content"]["text"] == "The deal is done and dusted."


@pytest.mark.parametrize("text, expected", [
    ("Q: Will you run again?\nA: No, I am done with politics for good.", []),
    ("The senator defended the vote in a long interview, telling Fox News: “It was the "
     "right thing.”", ["defended", "telling"]),
    ("Peskov: The talks went well and will go on.", [":"]),
    ("Breaking: Federal Judge Just Gave Hillary Some Of The Worst News Of Her Life.\n\n"
     "The judge ruled on Friday that the case can go on.", []),
    ("Delegate Update: The latest count in the Democratic race is close.", []),
    ("Iowa: Tim Albrecht, Brad Anderson, Rob Barron and Jim Carley.\n\n"
     "New Hampshire: Charlie Arlinghaus, Arnie Arnesen.", []),
    ("AP: Trump chair routed Ukrainian money to DC lobbyists.\n\nThe money went to two "
     "firms.", [":"]),
])
def test_a_colon_names_a_speaker_not_a_transcript_turn_a_kicker_a_place_or_a_listener(
    trained_nlp, attribution, text, expected
):
    assert labelled(annotate(trained_nlp, text, attribution), "cue") == expected


def test_a_kicker_before_a_dash_is_not_the_labels_speaker(trained_nlp, attribution):
    text = ("EXCLUSIVE – Roger Stone: Don’t Trust the Voting Machines.\n\n"
            "There is serious concern about the machines.")
    assert cues(annotate(trained_nlp, text, attribution))[":"]["source_name"] == "Roger Stone"


@pytest.mark.parametrize("text, expected", [
    ("Lerer reported from Los Angeles.", []),
    ("The vote is on Friday. (Reporting by Amanda Becker; Writing by Eric Beech; Editing by "
     "Tom Brown)", []),
    ("The Times reported from Kabul that the talks had failed.", ["reported"]),
    ("BROADWAY BEAT—\"Morrison is leaving the show,\" by Times' Michael Paulson: \"Matthew "
     "Morrison, the star of the musical, is leaving.\"", []),
    ("Iowa caucus recap - Carl Bialik: \"The polls were wrong in Iowa this year.\"", [":"]),
])
def test_a_bylines_reported_from_and_a_credit_line_are_no_cues(
    trained_nlp, attribution, text, expected
):
    assert labelled(annotate(trained_nlp, text, attribution), "cue") == expected


# ---- stance


@pytest.mark.parametrize(
    ("sentence", "cue", "stance", "modifier"),
    [
        ("Trump said that the talks had failed.", "said", "neutral", None),
        ("Trump revealed that the talks had failed.", "revealed", "endorsing", None),
        ("Trump claimed that the talks had failed.", "claimed", "distancing", None),
        ("Trump falsely claimed that the talks failed.", "falsely claimed", "discrediting",
         "falsely"),
        ("Trump claimed without evidence that the vote was rigged.", "claimed", "discrediting",
         "without evidence"),
        ("Trump claimed, contrary to independent polls, that Zelensky was unpopular.", "claimed",
         "discrediting", "contrary to independent polls"),
        ("Trump correctly noted that prices rose.", "correctly noted", "endorsing", "correctly"),
        ("Hegseth called NATO accession for Ukraine “unrealistic.”", "called", "distancing",
         "“unrealistic.”"),
    ],
)
def test_stance_and_the_modifier_that_decided_it(trained_nlp, attribution, sentence, cue,
                                                 stance, modifier):
    found = cues(annotate(trained_nlp, sentence, attribution))[cue]
    assert (found["stance"], found["modifier"]) == (stance, modifier)


def test_the_quote_a_cue_introduces_is_not_a_scare_quote(trained_nlp, blank_nlp, attribution):
    for nlp in (trained_nlp, blank_nlp):
        found = cues(annotate(nlp, "According to Bo Lund, “cats run the house.”", attribution))
        assert (found["According to"]["stance"], found["According to"]["modifier"]) == (
            "neutral", None)


def test_quoted_word_inside_the_reported_clause_is_not_a_scare_quote(trained_nlp, attribution):
    text = "Zelensky said he was not “offended” by the remarks."
    found = cues(annotate(trained_nlp, text, attribution))["said"]
    assert (found["stance"], found["modifier"], found["quote_type"]) == ("neutral", None, "mixed")


def test_contradicting_frame_discredits_the_claim(trained_nlp, attribution):
    text = "Trump has contradicted independent polls by claiming that Zelensky is unpopular."
    found = cues(annotate(trained_nlp, text, attribution))["claiming"]
    assert found["stance"] == "discrediting"
    assert found["modifier"].startswith("contradicted independent polls")
    assert found["source_name"] == "Trump"


def test_a_modifier_after_a_later_cue_does_not_reach_back(trained_nlp, attribution):
    text = ("Trump branded Zelensky a tyrant and falsely claimed that Ukraine started the war, "
            "despite polls to the contrary.")
    found = cues(annotate(trained_nlp, text, attribution))
    assert found["branded"]["modifier"] is None
    assert found["falsely claimed"]["stance"] == "discrediting"


# ---- source and content


def test_said_after_the_quote_pairs_source_and_direct_content(trained_nlp, attribution):
    found = cues(annotate(trained_nlp, "“We are ready to talk,” Zelensky said on Sunday.",
                          attribution))["said"]
    assert name(found["source"]) == "Zelensky"
    assert found["content"]["text"] == "“We are ready to talk,”"
    assert found["quote_type"] == "direct"


@pytest.mark.parametrize(
    "text",
    [
        "Peskov told reporters: “Nothing will prevent us from realising the will.”",
        "Peskov told reporters — “Nothing will prevent us from realising the will.”",
        "Peskov told reporters, «Nothing will prevent us from realising the will.»",
    ],
)
def test_colon_dash_and_guillemet_quotes_after_the_cue(trained_nlp, attribution, text):
    found = cues(annotate(trained_nlp, text, attribution))["told"]
    assert found["content"]["text"][1:].startswith("Nothing will prevent us")
    assert found["quote_type"] == "direct"


def test_doubled_apostrophe_quotes_pair_and_hide_their_cues(trained_nlp, attribution):
    text = "''I said we would win this race, and we will,'' Mr. Biden said on Monday."
    records = annotate(trained_nlp, text, attribution)
    found = cues(records)
    assert list(found) == ["said"] and len(records) == 1
    assert found["said"]["content"]["text"] == "''I said we would win this race, and we will,''"
    assert found["said"]["source_name"] == "Biden"


def test_indirect_and_mixed_content(trained_nlp, attribution):
    indirect = cues(annotate(trained_nlp, "Trump said that Ukraine started the war.",
                             attribution))["said"]
    assert (indirect["content"]["text"], indirect["quote_type"]) == (
        "that Ukraine started the war", "indirect")
    mixed = cues(annotate(trained_nlp, "He said that the war was “provoked” by NATO.",
                          attribution))["said"]
    assert mixed["quote_type"] == "mixed"


def test_pronoun_resolves_to_the_preceding_person(trained_nlp, attribution):
    text = "Volodymyr Zelensky spoke in Kyiv on Sunday. He said the war must end."
    found = cues(annotate(trained_nlp, text, attribution))["said"]
    assert name(found["source"]) == "He"
    assert name(found["source_resolved"]) == "Volodymyr Zelensky"
    assert found["source_name"] == "Volodymyr Zelensky"


def test_description_resolves_to_the_person_described_that_way(trained_nlp, attribution):
    text = ("Ukrainian President Volodymyr Zelensky met Donald Trump in Paris. "
            "The Ukrainian leader said the meeting went well.")
    found = cues(annotate(trained_nlp, text, attribution))["said"]
    assert name(found["source_resolved"]) == "Volodymyr Zelensky"


def test_conjoined_verbs_share_the_subject(trained_nlp, attribution):
    text = ("Over the past week, Trump has labeled Zelensky a “dictator,” inaccurately asserted "
            "that Ukraine initiated the war, and contradicted independent polls by claiming "
            "Zelensky is unpopular in Ukraine.")
    found = cues(annotate(trained_nlp, text, attribution))
    assert {c: found[c]["source_name"] for c in ("inaccurately asserted", "claiming")} == {
        "inaccurately asserted": "Trump", "claiming": "Trump"}


def test_inverted_said_takes_the_speaker_after_it(trained_nlp, attribution):
    text = "“The risk,” said Edward Leamer, an economist at UCLA, “is big.”"
    found = cues(annotate(trained_nlp, text, attribution))["said"]
    assert found["source_name"] == "Edward Leamer"
    assert (found["content"]["text"], found["quote_type"]) == ("“The risk,”", "direct")


def test_verb_conjoined_to_a_passive_shares_its_subject(trained_nlp, attribution):
    text = "Mr. Trump was forced into damage control and said that his words were twisted."
    assert cues(annotate(trained_nlp, text, attribution))["said"]["source_name"] == "Trump"


def test_subordinate_perfect_keeps_its_subject(trained_nlp, attribution):
    text = "While Comey has said that he makes recommendations, Lewandowski disagreed."
    assert cues(annotate(trained_nlp, text, attribution))["has said"]["source_name"] == "Comey"


def test_noun_cue_after_a_light_verb_takes_the_verbs_subject(trained_nlp, attribution):
    text = "Senator Harry Reid made the suggestion that Trump should get fake briefings."
    found = cues(annotate(trained_nlp, text, attribution))["suggestion"]
    assert found["source_name"] == "Harry Reid"


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        ("The talks raised concerns about the plan in Kyiv.", "concerns", None),
        ("Senator Lindsey Graham raised concerns about the plan.", "concerns", "Lindsey Graham"),
        ("The governor faced criticism of the plan on Monday.", "criticism", None),
        ("The governor faced criticism from Democrats over the plan.", "criticism", "Democrats"),
    ],
)
def test_a_noun_cues_speaker_is_not_the_cause_or_the_target(
    trained_nlp, attribution, text, cue, speaker
):
    assert cues(annotate(trained_nlp, text, attribution))[cue]["source_name"] == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The Vatican said the pope would not travel.", "Vatican"),
        ("Moscow said the talks were productive.", None),
    ],
)
def test_a_building_speaks_for_its_institution_a_seat_city_does_not(
    trained_nlp, attribution, text, speaker
):
    assert cues(annotate(trained_nlp, text, attribution))["said"]["source_name"] == speaker


def test_a_possessor_speaks_only_for_a_noun_cue_it_owns(trained_nlp, attribution):
    text = ("Trump’s representatives remain confident that the deal will close. "
            "Trump’s claim that the deal is close was disputed.")
    found = cues(annotate(trained_nlp, text, Attribution()))
    assert found["remain confident"]["source_name"] == "Trump’s representatives"
    assert cues(annotate(trained_nlp, text, attribution))["claim"]["source_name"] == "Trump"


def test_passive_agent_is_the_source(trained_nlp, attribution):
    found = cues(annotate(trained_nlp, "The plan was criticized by Democrats on Monday.",
                          attribution))["was criticized"]
    assert name(found["source"]) == "Democrats"


def test_agentless_cue_has_no_source(trained_nlp, attribution):
    found = cues(annotate(trained_nlp, "It is said that the Kremlin approved the plan.",
                          attribution))
    assert all(c["has_source"] is False and c["source"] is None for c in found.values())


# ---- quotes and turns (issue 17): every quote attributed once, with its marks


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content"),
    [
        ("“Nobody leaves this room!” bellowed the harbour master.", None, None, None),
        ("“Nobody leaves this room!” shouted the harbour master.", "shouted",
         "the harbour master", "“Nobody leaves this room!”"),
        ("“Nobody leaves this room!” the harbour master said.", "said", "the harbour master",
         "“Nobody leaves this room!”"),
        ('"Is the ferry late again?" asked Priya Natarajan.', "asked", "Priya Natarajan",
         '"Is the ferry late again?"'),
        ("“Never again,” she said.", "said", "she", "“Never again,”"),
    ],
)
def test_exclamations_and_questions_before_the_cue_are_its_content(
    trained_nlp, attribution, text, cue, speaker, content
):
    found = cues(annotate(trained_nlp, text, attribution))
    if cue is None:  # "bellow" is not in the lexicon: no cue, and no other word taken for one
        assert found == {}
        return
    assert (found[cue]["source_name"], name(found[cue]["content"]),
            found[cue]["quote_type"]) == (speaker, content, "direct")


def test_the_next_quoted_sentence_continues_the_speakers_turn(trained_nlp, attribution):
    text = ("“The tram line is finished,” the transport minister said on Friday. "
            "“We open it to passengers in March.”")
    assert triples(annotate(trained_nlp, text, attribution)) == [
        ("said", "the transport minister", "“The tram line is finished,”", False),
        ("said", "the transport minister", "“We open it to passengers in March.”", True),
    ]


def test_turns_work_without_a_parser_and_across_crlf_paragraphs(blank_nlp, attribution):
    text = ("“The tram line is finished,” the minister said.\r\n\r\n"
            "“We open it in March.”\r\n\r\n“Nobody leaves!” shouted the guard.")
    assert [(cue, content, cont) for cue, _, content, cont in
            triples(annotate(blank_nlp, text, attribution))] == [
        ("said", "“The tram line is finished,”", False),
        ("said", "“We open it in March.”", True),
        ("shouted", "“Nobody leaves!”", False),
    ]


def test_quoted_paragraphs_continue_the_turn_until_another_voice(trained_nlp, attribution):
    text = ("Coach Ilse Brandt was blunt after the loss.\n\n"
            "“We defended like strangers,” Brandt said. “Nobody talked.\n\n"
            "“That has to change by Sunday.”\n\n"
            "The club's owner was less worried. “One bad night,” he said.")
    found = triples(annotate(trained_nlp, text, attribution))
    brandt = [(content, cont) for cue, speaker, content, cont in found if speaker == "Brandt"]
    assert brandt == [("“We defended like strangers,”", False),
                      ("“Nobody talked.", True),
                      ("“That has to change by Sunday.”", True)]
    assert [(cue, content, cont) for cue, _, content, cont in found[3:]] == [
        ("said", "“One bad night,”", False)]


def test_a_pronoun_after_a_quote_refers_to_the_last_speaker(trained_nlp, attribution):
    text = "“We found nothing,” the inspector said. “Not a single crack,” she added."
    assert [speaker for _, speaker, _, _ in triples(annotate(trained_nlp, text, attribution))] == [
        "the inspector", "the inspector"]


def test_a_pronoun_after_a_description_refers_to_the_person_it_described(
    trained_nlp, attribution
):
    text = ("Ukrainian President Volodymyr Zelensky met European leaders in London on Sunday. "
            + "The talks covered weapons, money and the long winter ahead of the country. " * 6
            + "The Ukrainian president also urged Donald Trump to meet him. "
            "He revealed that progress was being made on a deal.")
    found = cues(annotate(trained_nlp, text, attribution))
    assert found["also urged"]["source_name"] == "Volodymyr Zelensky"
    assert found["revealed"]["source_name"] == "Volodymyr Zelensky"


def test_a_sentence_between_two_quotes_ends_the_turn(trained_nlp, attribution):
    text = ("“We will appeal,” the lawyer said. The judge did not look up. "
            "“The ruling stands.”")
    found = triples(annotate(trained_nlp, text, attribution))
    assert found == [("said", "the lawyer", "“We will appeal,”", False)]


def test_a_quote_ending_a_paragraph_is_not_the_next_paragraphs_content(
    trained_nlp, attribution
):
    text = ("“Not one of us gave up,” the captain said. “Not for one minute of the game.”\n\n"
            "Fans call him the quiet giant of the league.")
    assert triples(annotate(trained_nlp, text, attribution)) == [
        ("said", "the captain", "“Not one of us gave up,”", False),
        ("said", "the captain", "“Not for one minute of the game.”", True),
        ("call", "Fans", "him the quiet giant of the league", False),
    ]


def test_one_quote_is_the_content_of_one_cue_only(trained_nlp, attribution):
    text = ("The engineer told the inquiry:\n"
            "“The bolts were never tightened,” her assistant added.")
    records = annotate(trained_nlp, text, attribution)
    owners = [r["text"] for r in records if r["label"] == "cue" and r["attributes"]["content"]
              and r["attributes"]["content"]["text"] == "“The bolts were never tightened,”"]
    assert owners == ["added"]


def test_a_quote_resumed_after_an_interposed_phrase_keeps_its_speaker(trained_nlp, attribution):
    text = "“Once the tide turned,” the skipper said, shaking her head, “the mast went.”"
    assert triples(annotate(trained_nlp, text, attribution)) == [
        ("said", "the skipper", "“Once the tide turned,”", False),
        ("said", "the skipper", "“the mast went.”", True),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("Cities cannot wait for the next budget. – Amara Osei", "Amara Osei",
         "Cities cannot wait for the next budget."),
        ("“Rent is a wage issue, not a housing issue.”\n—Dana Whitfield, tenant organiser",
         "Dana Whitfield", "“Rent is a wage issue, not a housing issue.”"),
        ("Every ferry must run on time. - Tomas Lindqvist", "Tomas Lindqvist",
         "Every ferry must run on time."),
    ],
)
def test_a_dash_and_a_name_after_the_words_attribute_them(
    trained_nlp, blank_nlp, attribution, text, speaker, content
):
    for nlp in (trained_nlp, blank_nlp):
        [(cue, found_speaker, found_content, continuation)] = triples(
            annotate(nlp, text, attribution))
        assert (found_speaker, found_content, continuation) == (speaker, content, False)
        assert cue in ("–", "—", "-")


@pytest.mark.parametrize(
    "text",
    ["The vote was close. – Marsh won the seat.", "Prices rose 3 percent - Reuters",
     "- Anna Berg\n- Jonas Berg"],
)
def test_a_dash_that_credits_no_words_is_not_a_cue(trained_nlp, attribution, text):
    assert not [r for r in annotate(trained_nlp, text, attribution) if r["text"] in "–-"]


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content"),
    [
        ("The senator's statement that the port would close worried traders.", "statement",
         "The senator", "that the port would close"),
        ("Nobody believed the mayor's claim that crime had halved.", "claim", "the mayor",
         "that crime had halved"),
    ],
)
def test_speech_act_nouns_take_the_possessor_as_speaker(trained_nlp, attribution, text, cue,
                                                        speaker, content):
    found = cues(annotate(trained_nlp, text, attribution))[cue]
    assert name(found["source"]) == speaker and found["source_name"] == speaker
    assert name(found["content"]).startswith(content)


def test_a_statement_without_a_clause_is_not_a_cue(trained_nlp, attribution):
    text = "The ministry issued a statement on Monday."
    assert "statement" not in cues(annotate(trained_nlp, text, attribution))


@pytest.mark.parametrize(
    "text", ['She said, "We love it."', "She said: “We love it.”", "She said “we love it.”"]
)
def test_a_quote_after_the_cue_is_direct(trained_nlp, attribution, text):
    found = cues(annotate(trained_nlp, text, attribution))["said"]
    assert found["quote_type"] == "direct"
    assert name(found["content"]).lower() in ('"we love it."', "“we love it.”")


def test_a_quoted_object_that_is_not_introduced_is_not_direct(trained_nlp, attribution):
    text = "Oduya called the levy “a tax on every family that still drives to work.”"
    found = cues(annotate(trained_nlp, text, attribution))["called"]
    assert found["quote_type"] != "direct"


@pytest.mark.parametrize(
    ("text", "cue", "quoted"),
    [
        ('He claims that his favourite film is "Heat".', "claims", ['"Heat"']),
        ("She said her best-loved novel is “The Left Hand of Darkness” by a mile.", "said",
         ["“The Left Hand of Darkness”"]),
    ],
)
def test_titles_inside_a_reported_clause_belong_to_the_clause(trained_nlp, attribution, text,
                                                             cue, quoted):
    found = cues(annotate(trained_nlp, text, attribution))[cue]
    assert found["quote_type"] == "mixed"
    assert [q["text"] for q in found["quoted"]] == quoted
    assert quoted[0] in found["content"]["text"]


def test_belief_verbs_and_settings_report_no_words(trained_nlp, attribution):
    text = ("The baker explained from a stool by the oven. “Flour is cheap,” she said. "
            "The forecast, perhaps seeming too gloomy, was ignored.")
    assert triples(annotate(trained_nlp, text, attribution)) == [
        ("explained", "The baker", None, False),  # where she spoke is not what she said
        ("said", "The baker", "“Flour is cheap,”", False)]
    assert cues(annotate(trained_nlp, "“Flour is cheap,” the baker thinks.", attribution)) == {}


@pytest.mark.parametrize("text, expected", [
    ("The senator thinks the bill will pass.", ["thinks"]),
    ("They think the bill will pass.", ["think"]),
    ("Voters who want to cut taxes are angry.", ["want"]),
    ("I think the soup is cold.", []),
    ("I think that the soup is cold.", []),
    ("You know the soup is cold.", []),
    ("They want soup.", []),
])
def test_a_belief_is_a_cue_when_a_third_person_holds_it(trained_nlp, attribution, text,
                                                        expected):
    assert labelled(annotate(trained_nlp, text, attribution), "cue") == expected


@pytest.mark.parametrize("text, expected", [
    ("Aides said the senator believes the bill will pass.", ["said"]),
    ("The senator believes the bill will pass.", ["believes"]),
    ("Aides said the senator hopes to pass the bill.", ["said"]),
    ("The senator hopes to pass the bill.", ["hopes"]),
    ("Aides said a new poll shows the bill will pass.", ["said"]),
])
def test_a_belief_inside_reported_speech_is_what_was_said(trained_nlp, attribution, text,
                                                           expected):
    assert labelled(annotate(trained_nlp, text, attribution), "cue") == expected


class VetoingTagger:
    """A cue tagger that gives every token P(CUE) = 0: it vetoes every rule cue it judges."""

    cue_column, source_column = 0, 1

    def probabilities(self, docs):
        import numpy

        return [numpy.zeros((len(doc), 3)) for doc in docs]

    def runs(self, doc, probabilities, threshold):
        return {"CUE": [], "SOURCE": []}


def test_the_learned_merge_keeps_dash_credits_and_drops_a_vetoed_cues_turn(trained_nlp):
    from annotator_plugins.attribution.document import DocAnalysis
    from annotator_plugins.attribution.finder import CueFinder
    from annotator_plugins.attribution.learned import Thresholds, merge_cues

    text = ("“The line is open,” the minister said. “Trains run hourly.”\n"
            "Every ferry must run on time. – Tomas Lindqvist")
    analysis = DocAnalysis(trained_nlp(text), text, find_quotes(text))
    lexicon = Attribution(learned=False).lexicon
    rules = CueFinder(lexicon, analysis, True).find()
    assert [(text[c.start:c.end], c.continuation) for c in rules] == [
        ("said", False), ("said", True), ("–", False)]
    merged = merge_cues(analysis, lexicon, rules, VetoingTagger(),
                        Thresholds(0.5, 0.5, 0.5, 0.5, 0.5), True)
    assert [text[c.start:c.end] for c in merged] == ["–"]


def test_the_shipped_annotator_attributes_dash_credits(trained_nlp):
    text = "Every ferry must run on time, every day. - Tomas Lindqvist"
    found = cues(annotate(trained_nlp, text, Attribution()))
    assert found["-"]["source_name"] == "Tomas Lindqvist"


def test_summary_counts_continuations_apart(trained_nlp, attribution):
    text = "“The line is open,” the minister said. “Trains run hourly.”"
    summary = attribution.summarize(annotate(trained_nlp, text, attribution))
    assert (summary["stances"]["neutral"], summary["continuations"]) == (1, 1)


PIECES = [
    "“The bridge is safe,” the engineer said.", "“Is it?”", "She said: “Yes.”",
    "He called it a “scandal”.", "“Once,” Ruiz said, “and never again.”", "Trains – Ana Lee",
    "The plan is dead. – Ana Lee", "\n\n", "\r\n", "😀", "e\u0301", '"Go home," they told him.',
    "Officials said the “review” would end.", "“Unfinished", "words.”", "Nobody answered.",
]


@settings(deadline=None, max_examples=40,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map(" ".join))
def test_contents_never_cut_a_quote_and_each_quote_has_one_owner(trained_nlp, attribution, text):
    records = [r for r in annotate(trained_nlp, text, attribution) if r["label"] == "cue"]
    quotes = find_quotes(text)
    owners: dict[int, int] = {}
    for record in records:
        content = record["attributes"]["content"]
        if content is None:
            continue
        for quote in quotes:
            cut = content["start"] < quote.start < content["end"] < quote.end or (
                quote.start < content["start"] < quote.end < content["end"])
            assert not cut, (content, quote)
        if record["attributes"]["quote_type"] == "direct":
            owners[content["start"]] = owners.get(content["start"], 0) + 1
    assert all(count == 1 for count in owners.values())


# ---- hedges and vague sources


def test_hedges_are_annotated_with_their_category(blank_nlp, attribution):
    text = ("The so-called peace plan was reportedly drafted in Moscow, and it is said that "
            "the Kremlin approved it.")
    hedges = {r["text"]: r["attributes"]["category"] for r in annotate(blank_nlp, text,
                                                                       attribution)
              if r["label"] == "hedge"}
    assert hedges == {"so-called": "label_distancing", "reportedly": "hearsay",
                      "it is said": "impersonal_attribution"}


def test_hedges_inside_a_direct_quote_are_the_speakers(blank_nlp, attribution):
    text = "“The deal was reportedly signed in secret yesterday,” he said."
    assert labelled(annotate(blank_nlp, text, attribution), "hedge") == []


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Critics claim the plan will fail.", "Critics claim"),
        ("US officials said the talks would resume.", "US officials said"),
        ("Some argue that sanctions do not work.", "Some argue"),
    ],
)
def test_unnamed_speakers_are_vague_sources(trained_nlp, attribution, text, vague):
    assert labelled(annotate(trained_nlp, text, attribution), "vague_source") == [vague]


def test_named_speaker_is_not_a_vague_source(trained_nlp, attribution):
    text = "Kremlin spokesman Dmitry Peskov said the talks would resume."
    assert labelled(annotate(trained_nlp, text, attribution), "vague_source") == []


# ---- schema and summary


def test_every_attribute_validates_against_the_schema(trained_nlp, blank_nlp, attribution):
    validator = Draft202012Validator(Attribution.attributes_schema)
    text = (SEEDS / "004_ad01a51017ac294f.txt").read_text(encoding="utf-8")
    text += "\nUS officials said the so-called deal was reportedly signed.\n"
    for nlp in (trained_nlp, blank_nlp):
        records = annotate(nlp, text, attribution)
        assert {"cue", "hedge", "vague_source"} <= {r["label"] for r in records}
        for record in records:
            assert not list(validator.iter_errors(record["attributes"])), record


def test_summary_counts_stances_and_sourced_share(trained_nlp, attribution):
    text = "Trump falsely claimed the war was over. It is said that talks resumed."
    summary = attribution.summarize(annotate(trained_nlp, text, attribution))
    assert summary["stances"]["discrediting"] == 1
    assert summary["sourced_share"] == 0.5


# ---- the seeds (issue 2 and 3 checks)


@pytest.fixture(scope="module")
def seed_cues(trained_nlp) -> list[tuple[str, dict[str, Any]]]:
    """The seeds' cues as shipped: rules and learned parts together."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        records = annotate(trained_nlp, path.read_text(encoding="utf-8"), Attribution())
        found += [(r["text"], r["attributes"]) for r in records if r["label"] == "cue"]
    return found


def test_seed_falsely_and_inaccurately_cues_discredit_trump(seed_cues):
    flagged = [(text, a) for text, a in seed_cues
               if text.lower().split()[0] in ("falsely", "inaccurately")
               or text.lower().startswith(("also falsely", "also inaccurately"))]
    assert len(flagged) >= 3
    for text, attributes in flagged:
        assert attributes["stance"] == "discrediting", text
        assert "Trump" in attributes["source_name"], text


def test_seed_plain_claimed_is_never_neutral(seed_cues):
    claimed = [a for text, a in seed_cues if text.split()[-1] in ("claimed", "claiming")]
    assert claimed
    assert all(a["stance"] != "neutral" for a in claimed)


def test_seed_named_cues(seed_cues):
    by_text = {(text, a["source_name"]): a for text, a in seed_cues}
    assert ("further claimed", "Witkoff") in by_text
    assert ("told", "Karoline Leavitt") in by_text
    assert by_text[("also falsely accused", "Trump")]["stance"] == "discrediting"
    assert by_text[("claimed", "Trump")]["modifier"] == "contrary to independent polls"


# ---- gold regression guard (skipped without ../shared/gold)


@pytest.mark.skipif(not (GOLD / "polnear-train").is_dir(), reason="gold data not present")
def test_polnear_sample_cue_and_source_overlap(trained_nlp, attribution):
    from annotator.eval import load_label_maps
    from annotator.eval.brat import read_brat, score_brat

    items = read_brat(GOLD / "polnear-train").items[:25]
    annotations = {item.id: annotate(trained_nlp, item.text, attribution) for item in items}
    scores = {row.task: row.score.f1 for row in score_brat(items, annotations, load_label_maps())
              if row.measure in ("any overlap", "cue+source")}
    assert scores["cue"] > 0.6
    assert scores["source"] > 0.6

"""The learned ranker: options described for it, the shipped model, training it, and its failures as one line."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from bot.config import Settings
from bot.pipeline import QAState
from bot.ranker import CLAUSE, FEATURES, KINDS, SENTENCE, LearnedRanker, Thresholds, choices, preference
from tests.conftest import DATA, REPO, check_answer, check_refused, extractive_chain, run_cli

ARTICLE = DATA / "unit" / "fennick-library-reopening.txt"  # written for these tests
MODEL_DIR = REPO / "bot" / "data"


@pytest.fixture(scope="module")
def library_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "fennick", ARTICLE)


def _weigh(chain, question: str):
    state = chain._retrieve(QAState(question=question, resolved=question))
    return chain.answerer.weigh(state)


def test_shipped_model_matches_the_features():
    ranker = LearnedRanker.load(MODEL_DIR)
    assert ranker.booster.feature_name() == list(FEATURES)
    t = ranker.thresholds
    assert 0 < t.agree <= t.override <= t.new < 1
    card = json.loads((MODEL_DIR / "ranker.json").read_text())
    assert card["groups"] >= 100 and 0.5 < card["cross_validated_accuracy"] <= 1


def test_options_keep_what_the_rules_rule_out(library_chain):
    # "carried out by Harlow Construction" and the dateline's "Northern Wire": the rules weigh both sentences'
    # names, and rule the second out ("the architect Edith Carmody" is a person, no company at all)
    weighed = _weigh(library_chain, "Which company carried out the work?")
    options = weighed.options
    assert {o.text for o in options} >= {"Harlow Construction", "Northern Wire"}
    assert "Edith Carmody" not in {o.text for o in options}
    assert any(o.features["rule"] for o in options if o.text == "Northern Wire")
    for o in options:
        assert len(o.row()) == len(FEATURES)
        fired = [name for name in FEATURES if name.startswith("rule_") and name != "rule_pick" and name != "rule_score"
                 and name != "rule_abstained" and o.features[name]]
        assert bool(o.features["rule"]) == bool(fired), (o.text, fired)
    picks = [o for o in options if o.features["rule_pick"]]
    if weighed.ruled.abstained:
        assert not picks and all(o.features["rule_abstained"] for o in options)
    else:
        assert picks and all(o.text == weighed.ruled.answer for o in picks)


def test_an_option_is_described_by_how_much_of_the_question_its_own_clause_and_subject_say(library_chain):
    # "added ... 38 public computers, up from 12 before the closure": both figures are of computers, but only the
    # 38 is in the clause the question's verb and subject are in ("The work ... added"); "About 4,200 people
    # passed through" is another sentence's subject
    weighed = _weigh(library_chain, "How many public computers did the work add?")
    by_text = {o.text: o.features for o in weighed.options if o.evidence.sentence.text.startswith("The work")}
    assert by_text["38"]["clause_support"] > 0.5
    assert by_text["38"]["subject_support"] > 0 and by_text["38"]["clause_support"] >= by_text["12"]["clause_support"]
    people = next(o.features for o in weighed.options if o.text.startswith("About 4,200"))
    assert people["subject_support"] == 0


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("How much did the renovation cost?", "9.6 million pounds", "cost 9.6 million pounds"),
        ("What had the council budgeted for it?", "7.3 million pounds", "had budgeted in 2023"),
        ("How many public computers does the library have now?", "38", "38 public computers"),
        ("Who leads the city council?", "Margaret Osei", "Council leader Margaret Osei"),
        ("Who speaks for the Green group?", "Daniel Roe", "Its spokesman, Daniel Roe"),
        ("When did the library first open?", "1931", "first opened in 1931"),
    ],
)
def test_learned_answers_on_a_new_article(library_chain, question, fact, evidence):
    assert library_chain.answerer.ranker is not None  # the default engine
    check_answer(library_chain.ask(question), fact, evidence, ARTICLE)


@pytest.mark.parametrize("question", ["How many staff work at the library?", "How old is Daniel Roe?",
                                      "Which newspaper owns Northern Wire?"])
def test_learned_ranker_refuses_what_the_article_lacks(library_chain, question):
    check_refused(library_chain.ask(question))


def test_the_order_model_may_prefer_a_less_likely_option():
    # each option's probability is learnt alone; which of one question's options beats the others, together
    probabilities = np.array([0.5, 0.4, 0.1])
    assert preference(probabilities, np.zeros(3)).argmax() == 0
    assert preference(probabilities, np.array([0.0, 3.0, 0.0])).argmax() == 1
    assert preference(np.zeros(0), np.zeros(0)).shape == (0,)


def test_the_threshold_an_answer_must_pass_depends_on_what_the_rules_said():
    columns = {name: i for i, name in enumerate(FEATURES)}
    rows = np.zeros((3, len(FEATURES)))
    rows[:, columns["rule_abstained"]] = 1
    rows[0, columns["focus_ok"]] = 1  # the asked-about noun, not the question's names ("the Chinese firm")
    rows[1, columns["names_ok"]] = rows[1, columns["focus_ok"]] = 1  # both
    # the rules found nothing: the option with both first, then the likeliest with the noun at a higher bar;
    # the third option, with neither, may never answer
    assert choices(rows, np.array([0.6, 0.3, 0.9])) == [(1, "new"), (0, "unsupported")]
    rows[2, columns["names_ok"]] = 1  # the names, not the noun ("2,300 direct jobs" for how many people): last
    assert choices(rows, np.array([0.6, 0.3, 0.9])) == [(1, "new"), (0, "unsupported"), (2, "off_focus")]
    rows[2, columns["focus_match"]] = 1  # "toll" of "toll income" is there, but not the income: still last
    assert choices(rows, np.array([0.6, 0.3, 0.9])) == [(1, "new"), (0, "unsupported"), (2, "off_focus")]
    rows[2, columns["head_match"]] = 1  # the noun is there but of another sort ("transport minister"): never
    assert choices(rows, np.array([0.6, 0.3, 0.9])) == [(1, "new"), (0, "unsupported")]
    rows[2, columns["names_ok"]] = rows[2, columns["focus_match"]] = rows[2, columns["head_match"]] = 0
    rows[0, columns["focus_ok"]] = 0
    assert choices(rows, np.array([0.6, 0.3, 0.9])) == [(1, "new")]
    rows[:, columns["rule_abstained"]] = 0
    rows[0, columns["rule_pick"]] = 1
    assert choices(rows, np.array([0.9, 0.3, 0.1])) == [(0, "agree")]
    assert choices(rows, np.array([0.1, 0.3, 0.2])) == [(1, "override")]
    assert choices(rows, np.zeros(0)) == []


def test_a_whole_sentence_yields_to_a_shorter_option_of_its_own_as_likely():
    columns = {name: i for i, name in enumerate(FEATURES)}
    rows = np.zeros((3, len(FEATURES)))
    rows[:, columns["source"]] = [SENTENCE, CLAUSE, CLAUSE]
    rows[:, columns["rank"]] = [0, 0, 1]  # the third option is another sentence's
    preferred = np.array([0.5, 0.4, 0.45])
    # "heavy silt" is about as likely as the sentence it comes from: the short answer, citing the same sentence
    assert choices(rows, preferred, np.array([0.53, 0.56, 0.9])) == [(1, "override")]
    assert choices(rows, preferred, np.array([0.98, 0.96, 0.9])) == [(1, "override")]
    # clearly less likely than the sentence, or no probabilities given: the sentence stays
    assert choices(rows, preferred, np.array([0.53, 0.45, 0.9])) == [(0, "override")]
    assert choices(rows, preferred) == [(0, "override")]


def test_an_age_far_from_the_asked_person_never_answers():
    columns = {name: i for i, name in enumerate(FEATURES)}
    rows = np.zeros((2, len(FEATURES)))
    rows[:, columns["kind"]] = KINDS.index("age")
    rows[0, columns["rule_far_from_the_question"]] = 1  # "who appointed a 44-year-old former banker"
    assert choices(rows, np.array([0.9, 0.3])) == [(1, "override")]
    rows[1, columns["rule_far_from_the_question"]] = 1
    assert choices(rows, np.array([0.9, 0.3])) == []


def test_training_scores_the_first_choice_that_passes_its_threshold():
    from bot.training import _accuracy

    # per question: (score, threshold kind, right) for three choices, then answerable; kinds index agree..off_focus
    outcomes = np.array([
        [0.35, 2, 0, 0.60, 3, 1, -1.0, 4, 0, 1],  # the supported option passes "new" and is wrong: the second is never tried
        [0.20, 2, 0, 0.60, 3, 1, -1.0, 4, 0, 1],  # it fails "new"; the likeliest with the noun passes "unsupported", right
        [0.20, 2, 0, 0.45, 3, 1, -1.0, 4, 0, 1],  # none passes: an abstention on an answerable question is wrong
        [-1.0, 2, 0, 0.45, 3, 1, 0.55, 4, 1, 0],  # nothing passes on an unanswerable question: right
        [0.20, 2, 0, 0.45, 3, 0, 0.65, 4, 1, 1],  # the names without the noun pass "off_focus" and are right
    ])
    right = _accuracy(outcomes, Thresholds(agree=0.2, override=0.2, new=0.3, unsupported=0.5, off_focus=0.6))
    assert right.tolist() == [False, True, False, True, True]


@pytest.mark.parametrize("answered, new", [(1, 0.6), (2, 0.2)])
def test_thresholds_that_do_nearly_as_well_are_chosen_more_careful(answered, new):
    from bot.training import choose_thresholds

    # a thousand unanswerable questions with nothing to say, and answerable ones right at 0.2 ("new" choices only)
    nothing = [[-1.0, 2, 0] * 3 + [0]] * 1000
    right_at_02 = [[0.2, 2, 1] + [-1.0, 2, 0] * 2 + [1]] * answered
    chosen = choose_thresholds(np.array(nothing + right_at_02))
    # one answer in 1,001 is within a tenth of a point: refusing it costs less than guessing would risk; two are not
    assert chosen.new == new and chosen.override <= chosen.new


def test_rules_alone_when_asked(tmp_path_factory):
    chain = extractive_chain(tmp_path_factory, "fennick-rules", ARTICLE, ranker="rules")
    assert chain.answerer.ranker is None
    check_answer(chain.ask("Who designed the building?"), "Edith Carmody", "the architect Edith Carmody", ARTICLE)


def test_training_writes_a_model_that_loads_and_is_text(tmp_path):
    from bot.training import collect, train

    sets = [DATA / "valencia-tram-line.jsonl", DATA / "nordvind-job-cuts.jsonl"]
    data = collect(sets, Settings())
    assert {q.group for q in data.questions} == {"valencia-tram-line", "nordvind-job-cuts"}
    assert any(any(q.labels) for q in data.questions)  # some option is right
    assert all(not any(q.labels) for q in data.questions if not q.answerable)
    card = train(data, tmp_path, folds=2)
    assert card["questions"] == len(data.questions) == sum(1 for s in sets for line in s.read_text().splitlines() if line.strip())
    for model in ("ranker.txt", "ranker_order.txt"):
        assert (tmp_path / model).read_text().startswith("tree")  # LightGBM's text format, nothing pickled
    ranker = LearnedRanker.load(tmp_path)
    x, _ = data.arrays()
    scores = ranker.booster.predict(x)
    assert scores.shape == (len(x),) and ((0 <= scores) & (scores <= 1)).all()
    assert isinstance(ranker.thresholds, Thresholds)


def test_a_broken_model_is_one_line(tmp_path):
    shutil.copy(MODEL_DIR / "ranker.json", tmp_path / "ranker.json")
    (tmp_path / "ranker.txt").write_text("tree\nnot a model\n")
    result = run_cli("ask", "How many 5G base stations has Huawei shipped?", env={"BOT_RANKER_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "BOT_RANKER=rules" in result.stderr
    # a model made for other features is refused, not misread
    card = json.loads((MODEL_DIR / "ranker.json").read_text())
    card["features"] = card["features"][:-1]
    (tmp_path / "ranker.json").write_text(json.dumps(card))
    for model in ("ranker.txt", "ranker_order.txt"):
        shutil.copy(MODEL_DIR / model, tmp_path / model)
    result = run_cli("ask", "How many 5G base stations has Huawei shipped?", env={"BOT_RANKER_DIR": str(tmp_path)})
    assert result.returncode != 0 and "retrain" in result.stderr and "Traceback" not in result.stderr

"""What a question asks for, through the real parser: the kind of answer decides which figures may answer."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def analysis():
    from bot.models import get_nlp
    from bot.question import analyze

    nlp = get_nlp()
    return lambda question: analyze(nlp(question))


@pytest.mark.parametrize(
    "question, kind",
    [
        # the sum hangs on "paying" / "cost", though the answer's own verb is "acquire" / "build"
        ("How much is Northgas paying to acquire Deltaline?", "money"),
        ("How much did Solterra's solar farm cost to build?", "money"),  # the tagger takes "cost" for a noun
        # "amount" asks for a quantity, not a count of amounts
        ("What's the total amount the winning groups promised to spend on exploration?", "amount"),
        ("What amount of gas was found?", "amount"),
        ("How many wells will the groups drill?", "count"),
        # "how much" of a span of time asks how long, not for a quantity
        ("How much time does the company have to lodge an appeal?", "duration"),
        ("How much notice were the staff given?", "duration"),
        # "over what period", "what time frame": a date or a span, not a thing
        ("Over what period did the thefts take place?", "date"),
        ("Within what time frame must the work be done?", "date"),
        # "how many km" asks how far, so a distance answers ("the 187-kilometre stage"), not any count
        ("How many km did the riders cover on stage four?", "distance"),
        ("How many miles long is the new tunnel?", "distance"),
        # a rider, a cabinet member: people, not things
        ("Which rider is currently in the overall lead of the race?", "person"),
        ("Which cabinet member drew up the supplementary budget?", "person"),
        ("What outfit does the stage winner race for?", "org"),
        # a sum that went up may have gone up by a share: "energy costs rose 9.4%"
        ("How much did energy costs go up?", "amount"),
        ("How much money did the airline lose?", "money"),
        ("How much funding has the government given the city to fight the outbreak?", "money"),  # not "95 percent"
        # where a measure stands is its level, not a place
        ("Where does the key policy rate stand now?", "percent"),
        ("Where did the ten-year bond yield end up?", "amount"),
        ("Where does the company stand on the merger?", "place"),
        # how long a road or a stage is: a distance; how long a strike was: a duration
        ("How long is Friday's mountain stage?", "distance"),
        ("How long was the strike?", "duration"),
        # nouns that say what kind of answer is wanted
        ("What age is Kessbrook's mayor?", "age"),
        ("On which night did she perform?", "date"),
        ("Which band played the closing set?", "org"),
        ("In which building did the councillors gather to vote?", "place"),  # the Guildhall
        ("What reward is the insurance company offering?", "money"),
        # how soon: within 30 days; how long until: a moment as often as a span ("in the coming weeks")
        ("How soon will the prime minister put the bill before lawmakers?", "duration"),
        ("How long until the UK sets out its formal position?", "date"),
        ("How long after takeoff did the rocket explode?", "duration"),
        # the holder of a position is the name after it, however the parser hangs it
        ("What position does Tomas Reyl hold?", "definition"),
        ("What position does Raj Patel hold?", "definition"),  # "Raj" tagged ADV, "Patel" VERB
        # the size of a group is a head count
        ("What was the size of the rescue force deployed?", "count"),
        # how far short of a norm a level fell is a share, not a distance; how far below the surface is one
        ("How far below normal has rainfall in the province been since 2021?", "amount"),
        ("How far below the surface was the shaft flooded?", "distance"),
        # people whatever the lexicon's list: an elder, a frontbencher, a fisherman
        ("Which elder led prayers at first light?", "person"),
        ("Which opposition frontbencher attacked the plan?", "person"),
        ("Which fisherman found the stranded pod?", "person"),
        # how long in distance: a length, not a time
        ("How long was the round trip the mission covered, in distance?", "distance"),
        # a financial toll is a sum; how frequently is how often
        ("What is the possible financial toll of the frost, according to growers?", "money"),
        ("How frequently does frost now strike, according to the insurer?", "frequency"),
        # at what hour: a time of day
        ("At roughly what hour in the morning was the pod spotted?", "date"),
        # a rise in pay may be "a 6% rise" as well as "£1,200 a year": an amount, which takes both
        ("What pay rise are the nurses demanding?", "amount"),
        ("What salary does the new chief earn?", "money"),
        ("What is the pay rise?", "amount"),  # → 7 percent, not a clause
        ("What was the increase in sales?", "amount"),
        # how fast something happened is how long it took ("in nine minutes"); how fast a measure grew, a change
        ("How fast did the concert tickets sell out?", "duration"),
        ("How fast did exports grow?", "amount"),
        # an hourly rate is money (£13.10 an hour); a pot of prize money is a sum
        ("What hourly rate will cleaners be paid from April?", "money"),
        ("What rate of inflation did the office report?", "percent"),
        # ... but an annual rate of something other than pay is a percentage
        ("What was the annual inflation rate in the year to December?", "percent"),
        ("What is the annual pay rate for a cleaner?", "money"),
        # an hourly minimum is a sum; an edition or an anniversary is an ordinal ("the 41st")
        ("What hourly minimum had the unions been pushing for?", "amount"),
        ("Which edition of the festival was this?", "rank"),
        # a tornado's damage path has a length in miles, as a road does
        ("How long was the damage path left by the strongest tornado?", "distance"),
        ("How big is the pot of prize money this year?", "money"),
        # "When working manually" only sets the scene: the question asks what proportion
        ("When working manually, what proportion of the load could crews handle?", "percent"),
        ("When did the crews start working manually?", "date"),
        # a figure of passengers is a count, though a passenger is a person
        ("What yearly passenger figure does the airport's new owner aim for?", "count"),
    ],
)
def test_the_kind_of_answer_asked_for(analysis, question, kind):
    assert analysis(question).kind == kind


def test_what_is_costing_is_no_noun_the_figure_must_sit_on(analysis):
    # the parser reads "the crisis costing the airline industry" as a noun phrase: the crisis is no measure
    info = analysis("How much is the crisis costing the airline industry daily, according to the trade group?")
    assert (info.kind, info.focus) == ("money", [])


def test_by_how_much_asks_for_the_change(analysis):
    # "raise" also means raising money; "by how much" asks how far the benefit goes up (15 percent), not a sum
    info = analysis("By how much is the government raising child benefit for a second child?")
    assert info.kind == "amount" and info.asks_change


@pytest.mark.parametrize(
    "question", ["How far below the surface did the explosion take place?", "How far from the coast will the wind farm be?"]
)
def test_how_far_from_a_place_measures_from_it(analysis, question):
    # the surface or the coast is where the distance starts, not a noun the figure must sit on ("870 metres underground")
    info = analysis(question)
    assert info.kind == "distance" and not info.focus_required


@pytest.mark.parametrize(
    "question, ordinal, required",
    [
        ("Who won the third stage of the race?", "third", True),  # the fourth stage's winner does not answer
        ("What was the profit in the second quarter?", "second", True),
        ("When will the first cranes arrive?", "first", False),  # "the initial batch" may say it
        ("Who finished third?", "third", False),  # the answer's own place, no word to find
    ],
)
def test_an_ordinal_on_a_noun_must_be_found(analysis, question, ordinal, required):
    terms = {t.text: t.is_name for t in analysis(question).terms}
    assert terms.get(ordinal, False) is required


def test_a_part_of_the_day_is_no_name_to_find(analysis):
    # "told supporters ... late on Sunday" answers "on Sunday night": only the day must be found
    terms = {t.text: t.is_name for t in analysis("Where did Marsk address her backers on Sunday night?").terms}
    assert terms["sunday"] and not terms["night"]


@pytest.mark.parametrize("question, modifiers", [
    ("Who is the outside specialist commenting on the halt?", []),  # how he stands, not which sort he is
    ("Who is the prime minister of Norway?", ["prime"]),  # not the transport minister
    ("Which cabinet minister visited the airport?", []),  # any minister sits in the cabinet
])
def test_a_title_sort_is_kept_and_a_standing_is_not(analysis, question, modifiers):
    assert analysis(question).focus_modifiers == modifiers


def test_a_count_of_no_named_thing_is_no_measure(analysis):
    # "those caught" are people: "1.2 metres" of snow is no count of them; "how many tonnes" asks for a measure
    assert "QUANTITY" not in analysis("How many of those caught were able to get out of the snow unaided?").labels
    assert "QUANTITY" in analysis("How many tonnes of grain were shipped?").labels


def test_the_size_of_a_group_is_counted_in_its_members(analysis):
    # "46 rescuers" answers the size of the rescue force, though no sentence calls them a force
    assert not analysis("What was the size of the rescue force deployed?").focus_required
    assert analysis("How many teams entered the race?").focus_required
    assert analysis("How many staff work at the library?").focus_required


def test_a_price_tag_is_only_a_price(analysis):
    # "in a deal worth $4.2 billion" puts a price on it without naming a tag; "the profit" is a sum of its own
    info = analysis("What is the total price tag the British lender has put on the software company?")
    assert info.kind == "money" and not info.focus_required
    assert analysis("How much profit did the lender make?").focus_required


def test_a_population_is_a_figure_the_article_must_give(analysis):
    # "the population of Stockport" is a figure of that place, not a clause about the town
    info = analysis("What is the population of Stockport?")
    assert info.kind == "amount" and info.focus == ["population"] and info.focus_required


def test_how_much_longer_asks_for_a_span_of_time(analysis):
    # "another three weeks", not "85%" of the clinics reopened
    assert analysis("How much longer could it take for the group to get fully back to normal?").kind == "duration"
    assert analysis("How much more did the tickets cost?").kind != "duration"


def test_what_someone_was_worried_about_is_a_clause(analysis):
    # the parser hangs "what" on "was", but it is the object of the stranded "about", not the adviser
    for question in ("What was the regional adviser on mosquito-borne viruses worried about?",
                     "What are analysts concerned about?"):
        assert analysis(question).kind == "clause", question
    assert analysis("What is Huawei's revenue?").kind == "money"


@pytest.mark.parametrize("question, preposition", [
    ("To which city does she want to relocate some head office staff?", "to"),  # the parser tags "To" a particle
    ("From which country was the statue returned?", "from"),
    ("With whom is Britain building ties?", "with"),
    ("Since when has the rector led the university?", "since"),  # → "since September 2019"
])
def test_the_preposition_before_the_wh_word_is_kept(analysis, question, preposition):
    assert analysis(question).wh_preposition == preposition


@pytest.mark.parametrize("question", ["How did the company's stock react to the news?",
                                      "How did the pound fare against the dollar?"])
def test_how_a_market_price_reacted_asks_for_its_change(analysis, question):
    info = analysis(question)  # "rose 4.2% to 63 pence"
    assert info.kind == "amount" and info.asks_change
    assert analysis("How did the minister react to the news?").kind == "manner"


def test_where_in_the_rankings_asks_for_a_rank(analysis):
    assert analysis("Where does he currently sit in the men's tour rankings?").kind == "rank"  # → 211th
    assert analysis("Where is the table made?").kind == "place"


def test_the_length_of_a_ban_is_a_span_of_time(analysis):
    assert analysis("To what length did the arbitrators reduce his ban?").kind == "duration"  # → nine months
    assert analysis("What is the length of the tunnel?").kind != "duration"


def test_the_part_of_a_country_is_a_place(analysis):
    info = analysis("Which part of the country had the wettest summer?")
    assert info.kind == "place" and "GPE" in info.labels


def test_how_much_before_an_auxiliary_modifies_no_noun(analysis):
    # the tagger reads "hope" as a noun; "how much does X hope to raise" asks for a sum, of no noun
    info = analysis("How much does the orchestra hope to raise from the public?")
    assert info.kind == "money" and info.focus == []


def test_pieces_of_luggage_count_the_luggage(analysis):
    assert analysis("Roughly how many pieces of luggage were stranded?").focus == ["luggage"]


def test_a_first_day_is_no_name_but_a_first_quarter_is(analysis):
    names = lambda q: [t.text for t in analysis(q).terms if t.is_name]
    assert "first" not in names("By how much did the stock climb on its first day of trading?")  # its debut
    assert "first" in names("What was the profit in the first quarter?")


def test_the_name_of_the_biggest_of_them_names_one_of_them(analysis):
    info = analysis("What's the name of the biggest of the departing vessels?")
    assert info.wants_name and info.focus == ["vessel"]


def test_a_stranded_preposition_says_where_the_answer_stands(analysis):
    # "... co-founded it in 2014 with Tomasz Wielgosz": the answer is the object of "with"
    assert analysis("Who did the chief executive start the company with?").wh_preposition == "with"
    assert analysis("Which city is the firm based in?").wh_preposition == "in"
    assert analysis("Who did the chief executive start the company with?").kind == "person"


def test_a_stake_is_a_share_or_a_sum(analysis):
    assert {"PERCENT", "MONEY"} <= analysis("What stake does the fund hold in the company?").labels


def test_a_think_tank_the_tagger_starts_with_a_verb_is_an_organisation(analysis):
    info = analysis("Which think tank published the report?")  # the tagger reads "think" as a verb
    assert info.kind == "org" and info.focus[-1] == "tank"


@pytest.mark.parametrize("question, kind, required", [
    # "the highest number of people watching" is answered by "6.4 million viewers"
    ("What was the largest number of people watching at once?", "count", False),
    ("How many nurses are on strike?", "count", True),
    # "49 minutes a man down": Fiji is who, not what lasted, so no noun must be found beside the figure
    ("How long were Fiji down to 14 players?", "duration", False),
    ("How long was the strike?", "duration", True),
    # what lasts must be found beside the figure: "a five-year contract", not "their 128-year history"
    ("How long does the new sponsorship deal last?", "duration", True),
    # "said Maria Lindqvist, a 34-year-old teacher flying to Lisbon": the article need not say "traveller"
    ("Which traveller heading to Lisbon spoke to reporters?", "person", False),
    ("How many passengers were stranded?", "count", True),
    # "campaigned for a floor of NZ$26 an hour": a minimum is what the figure is, not a word to find
    ("What hourly minimum had the unions been pushing for?", "amount", False),
])
def test_whether_the_asked_noun_must_be_found(analysis, question, kind, required):
    info = analysis(question)
    assert (info.kind, info.focus_required) == (kind, required)


def test_an_offer_may_be_a_share_of_pay(analysis):
    # "The regional government had originally offered 6.5% over two years": a pay offer is often a percentage
    assert {"MONEY", "PERCENT"} <= analysis("What did the ministry offer at first?").labels
    assert "PERCENT" not in analysis("What will a season ticket cost?").labels


@pytest.mark.parametrize("question, kind", [
    # "the starting salary will rise to 34,800 pounds": the level a measure reaches, in the measure's own kind
    ("What will a new nurse's starting salary go up to?", "money"),
    ("What will the jobless rate fall to?", "amount"),
])
def test_what_a_measure_rises_to_is_its_new_level(analysis, question, kind):
    assert analysis(question).kind == kind


@pytest.mark.parametrize("question", ["What was the final tally of workers for and against the deal?",
                                      "What was the score?"])
def test_a_tally_is_the_kind_of_answer_not_a_word_to_find(analysis, question):
    info = analysis(question)  # "212 votes to 96" never says "tally"
    assert info.wants_tally and info.kind == "count"
    assert not {"tally", "score"} & {t.lemma for t in info.terms}

"""The registry of leaders' features: discovery, the words that ask for each, plain-chat phrasing, a new module."""

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.cli.leaders import feature_command
from bot.leaders.feature import asked_by_word, asked_in_chat, feature, features
from bot.slack.command import ASK, parse_command
from bot.slack.guide import how_to_ask
from tests.cli.support import cli_env


def test_every_feature_module_is_registered_in_help_order():
    """summary, theme, judgements and neighbours are found in their modules, each with distinct names and words."""
    found = features()
    assert [f.name for f in found] == ["summary", "theme", "judgements", "neighbours"]
    words = [w for f in found for w in f.words]
    assert len(words) == len(set(words))
    assert asked_by_word("Brief") is feature("summary") and asked_by_word("judgments") is feature("judgements")
    assert asked_by_word("sources") is None


@pytest.mark.parametrize(("text", "subject"), [
    ("brief me on Dorset", "Dorset"),
    ("Can you give me a briefing for Isle of Wight?", "Isle of Wight"),
    ("summary of Essex please", "Essex"),
    ("a briefing on the Isle of Wight council", "the Isle of Wight council"),
])
def test_a_briefing_asked_in_plain_words_names_its_council(text, subject):
    """Plain-chat phrasing the summary owns gives the summary, with the council as its argument."""
    assert asked_in_chat(text) == (feature("summary"), subject)


@pytest.mark.parametrize(("text", "argument"), [
    ("How does Reading compare with its statistical neighbours?", "Reading"),
    ("Reading vs its stat neighbours on care leavers", "Reading on care leavers"),
    ("how do we compare with our stat neighbours?", "we"),
    ("Norfolk compared with its statistical neighbors", "Norfolk"),
])
def test_a_comparison_with_neighbours_asked_in_plain_words(text, argument):
    """Plain-chat phrasing the neighbours feature owns gives it, with the council and any judgement named."""
    assert asked_in_chat(text) == (feature("neighbours"), argument)


@pytest.mark.parametrize("text", [
    "summary of care leavers in Essex",
    "summary of why Worcestershire was inadequate in 2017",
    "What did the summary of findings say about neglect in Kent?",
    "briefing on Atlantis",
    "how are care leavers doing in Reading?",
    "what did inspectors say about neighbouring councils' joint work?",
])
def test_questions_that_only_share_a_word_with_a_feature_stay_questions(text):
    """A subject that is more (or other) than a council's name is not claimed: it is answered as a question."""
    assert asked_in_chat(text) is None


def test_a_new_feature_is_one_module_read_by_slack_help_and_the_command_line(with_echo, leaders_settings):
    """A module declaring FEATURE is asked for by its words on /findings, listed in the help, and runs as a command."""
    assert parse_command("repeat hello there") == ("echo", "hello there")
    assert parse_command("echo") == (ASK, "echo")  # it needs an argument, so the bare word is a question
    assert "• `/findings echo <words>`: repeats the words." in how_to_ask()
    main.add_command(feature_command(with_echo))
    try:
        result = CliRunner().invoke(main, ["echo", "hello", "there", "--json"], env=cli_env(leaders_settings))
    finally:
        main.commands.pop("echo")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == '{\n "echo": "HELLO THERE"\n}'

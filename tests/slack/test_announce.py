"""New reports announced once across replicas and restarts, to the channel and to followers; and /findings follow."""

import json
import threading
from datetime import date

import pytest

from bot.ofsted.schedule import Schedule
from bot.retrieval.knowledge import Knowledge
from bot.settings import Settings
from bot.slack.announce import Announcer
from bot.slack.blocks import SUMMARY
from bot.state.redis_backend import RedisState
from bot.store.client import open_store
from tests.ofsted_site import ofsted_site
from tests.slack_fake import action_payload, make_settings, running_fake, running_http

PLYMOUTH = "80538"
NEW = "plymouth-ilacs-2024-03-15"


def _replica(settings: Settings, embedder, fake, redis_url: str, prefix: str):
    """One replica's shared state, knowledge, announcer and schedule, as `findings serve` builds them."""
    state = RedisState(redis_url, 0, prefix=prefix)
    knowledge = Knowledge(open_store(settings, embedder.model_id))

    def fresh():
        knowledge.refresh(force=True)
        return knowledge.snapshot()

    announcer = Announcer(fake.client(), state, settings.slack_announce_channel, fresh)
    return state, Schedule(settings, state, lambda run: announcer.announce([r["slug"] for r in run.added])), announcer


def test_two_replicas_sync_once_and_a_new_report_is_announced_once_even_after_a_restart(
        tmp_path, embedder, redis_url, redis_prefix):
    """Both replicas' timers fire; one syncs. The new inspection is posted once to the channel and once by DM to a
    follower, with its link, verbatim headline quotes and a Summary button; a restarted replica posts nothing."""
    (tmp_path / "knowledge").mkdir()
    settings = Settings(_env_file=None, chroma_path=tmp_path / "chroma", knowledge_dir=tmp_path / "knowledge",
                        sync_pause=0, sync_hours=6, slack_announce_channel="C0NEWS")
    with ofsted_site() as site, running_fake() as fake:
        site.add(PLYMOUTH, "ilacs_inspection", date(2024, 3, 15), "plymouth-ilacs-2024-03-15.pdf")
        settings = settings.model_copy(update={"ofsted_url": site.url})
        # Only Plymouth is on the stand-in site; the other councils' pages are missing there and fail, one line each.
        replicas = [_replica(settings, embedder, fake, redis_url, redis_prefix) for _ in range(2)]
        replicas[0][0].follow("U0FOLLOW", ("Plymouth",))
        results = [None, None]

        def fire(n: int) -> None:
            results[n] = replicas[n][1].run_once()

        threads = [threading.Thread(target=fire, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ran = [r for r in results if r is not None]
        assert len(ran) == 1 and [row["slug"] for row in ran[0].added] == [NEW]
        assert len(site.to(f"/provider/44/{PLYMOUTH}")) == 1

        posts = fake.bodies("chat.postMessage")
        assert sorted(p["channel"] for p in posts) == ["C0NEWS", "U0FOLLOW"]
        post = posts[0]
        assert post["text"].startswith("New Ofsted standard ILACS inspection of Plymouth, published 15 March 2024: "
                                       "overall effectiveness ")
        blocks = json.dumps(post["blocks"], ensure_ascii=False)
        assert site.url in blocks and SUMMARY in blocks
        knowledge = Knowledge(open_store(settings, embedder.model_id))
        text = "".join(c.text for c in knowledge.by_report[NEW])
        quoted = [b["text"]["text"] for b in post["blocks"] if b["type"] == "section"][1:]
        assert quoted and all(q.strip("> “”").replace("&amp;", "&") in text for q in quoted)

        restarted = _replica(settings, embedder, fake, redis_url, redis_prefix)
        assert restarted[2].announce([NEW]) == 0 and restarted[1].run_once() is None
        assert len(fake.bodies("chat.postMessage")) == 2
        for state, _, _ in [*replicas, restarted]:
            state.close()


@pytest.fixture
def app(tmp_path, engine):
    settings = make_settings(tmp_path, knowledge_dir=tmp_path / "knowledge")  # no sync has run in this folder
    with running_fake() as fake, running_http(fake, settings, engine) as harness:
        yield harness


def test_follow_neighbours_and_unfollow_change_what_a_user_hears_of(app):
    """`/findings follow Reading`, then `follow neighbours`, then `unfollow Reading`, each answered privately."""
    for n, text in enumerate(("follow Reading", "follow neighbours", "unfollow Reading", "follow")):
        app.post_command(text, app.slack.response_url(f"f{n}"))
        app.slack.wait_for("response_url", n + 1)
    replies = {b["_url"]: b["text"] for b in app.slack.bodies("response_url")}
    assert "1 council: Reading." in replies["/response/f0"]
    assert "11 councils" in replies["/response/f1"] and "Reading" in replies["/response/f1"]
    assert "10 councils" in replies["/response/f2"] and "Reading," not in replies["/response/f2"]
    assert replies["/response/f3"] == replies["/response/f2"]


def test_sources_say_when_the_last_sync_ran(app):
    """`/findings sources` says no sync has run yet when none has."""
    app.post_command("sources", app.slack.response_url("s"))
    (reply,) = app.slack.wait_for("response_url", 1)
    assert "No sync from Ofsted's site has run yet." in json.dumps(reply["blocks"])


def test_an_announcements_summary_button_gives_the_councils_briefing_privately(app):
    """Pressing Summary under an announcement of Dorset's report sends Dorset's briefing to that user alone."""
    status, _ = app.post_action(action_payload(SUMMARY, "Dorset", app.slack.response_url("sum"), channel="C0NEWS"))
    assert status == 200
    (reply,) = app.slack.wait_for("response_url", 1)
    assert reply["response_type"] == "ephemeral" and reply["text"].startswith("Briefing: Dorset")

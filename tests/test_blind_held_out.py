"""Blind batches: their figures as measured when they arrived are floors.

Every batch here was written by helpers who never saw the patterns, the data or any earlier
batch, and measured before anyone tuned on it (README "Measurements"). A RELEASED batch has since
become training data for the learned recognisers (its ids are in content/*_examples.jsonl) and
keeps its blind-era floor only as a regression guard. A HELD-OUT batch is never a labelled
message, which the test checks (neither its ids nor its longer texts are in the examples or the
development sets); the development sets named in ``DEVELOPMENT_SETS``
(content/distress_severity_examples.jsonl: the severity stage's alone in session 23, the concept
stage's since session 25, the first stage's at ``DEVELOPMENT_WEIGHT`` since session 26) are
measured before they join it, and no other held-out set may. The batches are run through the
command-line interface, the same decision the bot makes. A floor below a target is the honest
figure, not the target.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from tests.helpers import run_cli

pytestmark = pytest.mark.quality

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "data" / "blind"


def _rows(name: str) -> list[dict]:
    text = (BLIND / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _decide(command: str, rows: list[dict]) -> dict[str, dict]:
    lines = "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows)
    proc = run_cli([command, "--jsonl"], lines, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {d["id"]: d for d in map(json.loads, proc.stdout.splitlines())}


def _examples(kind: str) -> list[dict]:
    """The labelled rows the learned recognisers are trained on (``distress`` or ``offer``)."""
    text = (ROOT / "content" / f"{kind}_examples.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _kind(row: dict) -> str:
    """cry, close or ordinary (batch 9 predates the ``kind`` field: its family says it)."""
    if "kind" in row:
        return row["kind"]
    if row["label"]:
        return "cry"
    return "ordinary" if row["family"].startswith("ordinary") else "close"


def _distress_counts(rows: list[dict]) -> tuple[int, ...]:
    """Cries found, emergencies found, close calls kept, ordinary messages kept."""
    found = {i: bool(d["distress"]) for i, d in _decide("triage", rows).items()}
    cries = sum(found[r["id"]] for r in rows if _kind(r) == "cry")
    emergencies = sum(found[r["id"]] for r in rows if _kind(r) == "cry" and r.get("emergency"))
    close = sum(not found[r["id"]] for r in rows if _kind(r) == "close")
    ordinary = sum(not found[r["id"]] for r in rows if _kind(r) == "ordinary")
    return cries, emergencies, close, ordinary


def _offer_counts(rows: list[dict]) -> tuple[int, ...]:
    """Risky ads flagged (medium or high) and ordinary ads left alone."""
    risk = {i: d["risk"] in ("medium", "high") for i, d in _decide("check", rows).items()}
    caught = sum(risk[r["id"]] for r in rows if r["label"] == "risky")
    left_alone = sum(not risk[r["id"]] for r in rows if r["label"] == "ordinary")
    return caught, left_alone


#: (file, held out?, floors). Floors are (cries, emergencies, close calls kept, ordinary kept)
#: for distress and (risky flagged, ordinary left alone) for offers; the comment says where each
#: figure was measured (README "Measurements", COORD.md). A released batch keeps its floor only as
#: a regression guard; a held-out batch is checked to be in no training file.
BATCHES = [
    # blind at 578eecb 71/80, 33/38, 109/120, 39/40; after cc3 (its families known) 77, 37, 109, 39
    ("distress_batch9.jsonl", False, (77, 37, 109, 39)),
    ("distress_batch10.jsonl", False, (135, 73, 89, 79)),  # blind at 8378f14
    # session 5; 525ab88: 136/140, 68/70, 99/120, 79/80; after session 6 (73f7a9c):
    ("distress_batch11.jsonl", True, (136, 68, 104, 80)),
    ("distress_batch12.jsonl", False, (138, 70, 104, 80)),  # blind at af71d9d
    ("distress_batch13.jsonl", False, (140, 71, 105, 79)),  # blind at 73f7a9c
    ("distress_batch14.jsonl", False, (138, 74, 98, 79)),  # blind at d9ad7c1
    # session 7: d9ad7c1 139/140, 74/74, 96/120, 80/80; session 7's final code:
    ("distress_batch15.jsonl", False, (139, 74, 101, 80)),
    # written after session 7's code was final; d9ad7c1 137, 79, 101, 80; 4d69fcb:
    ("distress_batch16.jsonl", False, (137, 80, 109, 80)),
    ("distress_batch17.jsonl", False, (139, 78, 101, 79)),  # blind at 78c02f6
    # blind, once after tune-distress9 (2c047f3):
    ("distress_batch18.jsonl", False, (139, 81, 111, 80)),
    ("offers_batch6.jsonl", False, (74, 110)),  # blind at 2653a23
    ("offers_batch7.jsonl", False, (90, 112)),  # blind at 8378f14
    # session 5; 525ab88: 94/100, 116/120; after session 6's round (73f7a9c). Not clean: three of
    # its ads are verbatim in a session-6 tuner's own sentences.
    ("offers_batch8.jsonl", True, (99, 118)),
    ("offers_batch9.jsonl", False, (92, 119)),  # blind at 0c18f94
    # blind 73f7a9c 92/100, 114/120 and d9ad7c1 93/100, 113/120; tuned on to 100/120 since
    ("offers_batch10.jsonl", False, (100, 120)),
    ("offers_batch11.jsonl", False, (100, 120)),
    # session 7: d9ad7c1 91/100, 114/120; final code (patterns alone 91/100, 118/120):
    ("offers_batch12.jsonl", False, (99, 117)),
    # written after session 7's code was final; d9ad7c1 95/100, 116/120; 4d69fcb:
    ("offers_batch13.jsonl", False, (100, 118)),
    ("offers_batch14.jsonl", False, (98, 117)),  # blind at 78c02f6
    ("offers_batch15.jsonl", False, (99, 120)),  # blind, once after tune-offers7 (7d37b84)
    # Session 8, written at its start and sealed until the final code; measured once on it
    # (7b46c9c; 78c02f6, the session's start: 138/140, 75/76, 106/120, 80/80); released session 9:
    ("distress_batch19.jsonl", False, (138, 75, 113, 79)),
    # 643e362 (both rounds): 138/140, 79/81, 113/120, 79/80 (78c02f6: 137, 78, 101, 80); two
    # emergencies lost there were read and FIRST_HAND widened (7b46c9c), so 140 and 81 are not
    # clean figures:
    ("distress_batch20.jsonl", False, (140, 81, 113, 79)),  # released session 9
    # session 9, blind at its start (cedf9be = 5c47703; /work/blind36/s9start_*.txt):
    ("distress_batch21.jsonl", False, (138, 80, 101, 80)),
    # Session 9, written at its start and sealed until the final code, measured once on it
    # (a58ff50); cedf9be, the session's start: 137/140, 71/71, 114/120, 80/80; released session 10
    ("distress_batch22.jsonl", False, (138, 71, 115, 80)),
    ("distress_batch23.jsonl", False, (139, 80, 114, 80)),  # cedf9be: 139, 80, 113, 80
    ("distress_batch24.jsonl", False, (137, 85, 114, 80)),  # cedf9be: 136, 84, 115, 80
    # session 9: short cries naming the boss and close calls with the same words (a probe of one
    # family, written blind); d15247b 115/140, 53/62, 74/100; a58ff50 (after tune-distress12):
    ("distress_short_boss_probe.jsonl", False, (125, 59, 68, 0)),  # released session 10
    # Session 10, written at its start and sealed until the final code, measured once on it
    # (b2e75e4); a911d1a, the session's start: 134/140, 88/90, 115/120, 80/80 and 133/140, 87/90,
    # 108/120, 80/80:
    ("distress_batch25.jsonl", False, (137, 89, 115, 80)),  # released session 11
    ("distress_batch26.jsonl", False, (135, 89, 111, 80)),  # released session 11
    # session 10: a second probe of short, indirect cries (overwork, fines, self-harm hints,
    # stretched letters) and office close calls, written blind; a911d1a 112/140, 63/80, 74/100:
    ("distress_short_probe2.jsonl", False, (122, 68, 75, 0)),  # released session 11
    # Session 11, written at its start and sealed until the final code, measured once on it
    # (322b72b); ed86864, the session's start: 138/140, 90/90, 103/120, 80/80 and 137/140, 90/90,
    # 106/120, 80/80:
    ("distress_batch27.jsonl", False, (139, 90, 104, 80)),  # released session 12
    ("distress_batch28.jsonl", False, (138, 90, 108, 80)),  # released session 12
    # session 11: a third probe of short, indirect cries, with everyday goodbyes and pill talk
    # among the close calls, written blind; ed86864 125/140, 69/80, 81/100:
    ("distress_short_probe3.jsonl", False, (134, 74, 85, 0)),  # released session 12
    # Session 12, written at its start and sealed until the final code, measured once on it
    # (01a244c); 276995e, the session's start: 136/140, 90/90, 109/120, 79/80 and 135/140, 90/90,
    # 107/120, 79/80; after the release of batches 27-28 (252f3c4) as at the end:
    ("distress_batch29.jsonl", False, (136, 90, 116, 79)),  # released session 13
    ("distress_batch30.jsonl", False, (135, 90, 116, 79)),  # released session 13
    # session 12: a fourth probe of short, indirect cries; 276995e 134/140, 74/80, 87/100:
    ("distress_short_probe4.jsonl", False, (133, 73, 93, 0)),  # released session 13
    # Session 13, written at its start and sealed until the final code, measured once on it
    # (376fc01); d5d88ea, the session's start: 140/140, 90/90, 102/120, 80/80 and 138/140, 90/90,
    # 98/120, 80/80; after the release of batches 29-30 and probe 4 (0c208cd): 102 and 100 close:
    ("distress_batch31.jsonl", False, (140, 90, 103, 80)),  # released session 14
    ("distress_batch32.jsonl", False, (138, 90, 101, 80)),  # released session 14
    # session 13: a fifth probe of short, indirect cries; d5d88ea 135/140, 79/80, 76/100:
    ("distress_short_probe5.jsonl", False, (135, 79, 77, 0)),  # released session 14
    # Session 14, written at its start and sealed until the final code, measured once on it
    # (7cc4ce6); de29245, the session's start: 138/140, 89/90, 105/120, 79/80 and 138/140, 89/90,
    # 102/120, 80/80; after the release of batches 31-32 and probe 5 (093128b): 139/140, 90/90,
    # 107/120, 79/80 and 139/140, 90/90, 107/120, 80/80:
    ("distress_batch33.jsonl", False, (139, 90, 107, 79)),  # released session 15
    ("distress_batch34.jsonl", False, (139, 90, 108, 80)),  # released session 15
    # session 14: a sixth probe of short, indirect cries; de29245 131/140, 77/80, 92/100:
    ("distress_short_probe6.jsonl", False, (133, 78, 97, 0)),  # released session 15
    # Session 15, written at its start and sealed until the final code, measured once on it
    # (439daac); 4f0e905, the session's start: 139/140, 90/90, 104/120, 78/80 and 139/140, 90/90,
    # 112/120, 79/80; after the release of batches 33-34 and probe 6 (384410f): 105 and 112 close.
    # A check-in (a wish to die read as hyperbole: contacts and a question, not the card) is not
    # distress: 9 and 3 of the close calls kept here got one, no cry did.
    ("distress_batch35.jsonl", False, (139, 90, 114, 78)),  # released session 16
    ("distress_batch36.jsonl", False, (139, 90, 115, 79)),  # released session 16
    # session 15: a seventh probe of short, indirect cries; 4f0e905 136/140, 79/80, 92/100;
    # 384410f 135/140, 79/80, 92/100 (5 check-ins among the close calls at the end):
    ("distress_short_probe7.jsonl", False, (135, 79, 97, 0)),  # released session 16
    # session 15: a probe of wishes to die, 8 real and 8 in jest a language (every cry an
    # emergency); 4f0e905 76/80 cries, 51/80 close; 384410f 77, 52 (9 check-ins at the end):
    ("distress_wish_probe1.jsonl", False, (77, 77, 61, 0)),  # released session 16
    # Session 16, written at its start and sealed until the final code, measured once on it
    # (efa8b44); b63c37b, the session's start: 140/140, 90/90, 118/120, 80/80 and 140/140,
    # 90/90, 114/120, 80/80; after the release of batches 35-36 and probes 7 and wp1 (10bd938):
    # 119 and 115 close. Check-ins among the close calls kept here: 10 and 7, none on a cry.
    ("distress_batch37.jsonl", False, (140, 90, 119, 80)),  # released session 17
    ("distress_batch38.jsonl", False, (140, 90, 115, 80)),  # released session 17
    # session 16: an eighth probe of short, indirect cries; b63c37b 139/140, 80/80, 95/100;
    # 10bd938 139/140, 80/80, 97/100 (5 check-ins among the close calls at the end):
    ("distress_short_probe8.jsonl", False, (139, 80, 98, 0)),  # released session 17
    # session 16: a second probe of wishes to die, 8 real and 8 in jest a language; b63c37b
    # 76/80 cries, 59/80 close; 10bd938 78, 62 (9 check-ins at the end):
    ("distress_wish_probe2.jsonl", False, (78, 78, 63, 0)),  # released session 17
    # Session 17, written at its start and sealed until the final code, measured once on it
    # (48e7072); 1f4c014, the session's start: 139/140, 90/90, 115/120, 80/80 and 140/140,
    # 90/90, 116/120, 80/80; after the release of batches 37-38 and probes sp8, wp2 (62a9e06):
    # 115 and 118 close. Check-ins among the close calls kept here: 7 and 8, none on a cry.
    ("distress_batch39.jsonl", False, (139, 90, 116, 80)),  # released session 18
    ("distress_batch40.jsonl", False, (140, 90, 118, 80)),  # released session 18
    # session 17: a ninth probe of short, indirect cries; 1f4c014 137/140, 78/80, 95/100;
    # 62a9e06 137/140, 78/80, 96/100 (9 check-ins among the close calls at the end):
    ("distress_short_probe9.jsonl", False, (137, 78, 96, 0)),  # released session 18
    # session 17: a third probe of wishes to die, 8 real and 8 in jest a language; 1f4c014
    # 77/80 cries, 59/80 close; 62a9e06 77, 63; the rest rule: 69 (15 check-ins at the end):
    ("distress_wish_probe3.jsonl", False, (77, 77, 69, 0)),  # released session 18
    # Session 18, written at its start and sealed until the final code, measured once on it
    # (2a2b5b1); 9682080, the session's start: 138/140, 88/90, 116/120, 80/80 and 140/140,
    # 90/90, 114/120, 80/80; after the release of batches 39-40 and probes sp9, wp3 (b03a93d):
    # 117 and 114 close, as at the end. Check-ins among the close calls kept: 4 and 6.
    ("distress_batch41.jsonl", False, (138, 88, 117, 80)),  # released session 19
    ("distress_batch42.jsonl", False, (140, 90, 114, 80)),  # released session 19
    # session 18: a tenth probe of short, indirect cries; 9682080 136/140, 78/80, 99/100;
    # b03a93d and the end 137/140, 78/80, 99/100:
    ("distress_short_probe10.jsonl", False, (137, 78, 99, 0)),  # released session 19
    # session 18: a fourth probe of wishes to die, 8 real and 8 in jest a language; 9682080
    # 77/80 cries, 75/80 close; b03a93d and the end 78, 75 (15 check-ins):
    ("distress_wish_probe4.jsonl", False, (78, 78, 75, 0)),  # released session 19
    # Session 19, written at its start and sealed until the final code, measured once on it
    # (873ac46); 51b9ff7, the session's start: 140/140, 90/90, 117/120, 80/80 and 140/140,
    # 90/90, 119/120, 80/80; the Burmese cry lost in each came with the romanised development
    # sets. Emergency severity (not a floor here): start 48 and 40 of 90, final 90 and 88.
    ("distress_batch43.jsonl", False, (139, 90, 118, 80)),  # released session 20
    ("distress_batch44.jsonl", False, (139, 89, 120, 80)),  # released session 20
    # session 19: an eleventh probe of short, indirect cries; start and end 137/140, 79/80,
    # 98/100 (emergency severity 44 -> 76 of 80):
    ("distress_short_probe11.jsonl", False, (137, 79, 98, 0)),  # released session 20
    # session 19: a first probe of romanised and code-switched chat (8 cries, 12 everyday close
    # calls, 10 ordinary a language); start 80/80, 40/40, 92/120, 88/100:
    ("distress_roman_probe1.jsonl", False, (80, 40, 110, 95)),  # released session 20
    # Session 20, written at its start and sealed until the end; measured at the start (4d48a64),
    # after the release of batches 43-44, sp11, rp1 and rd6-rd7 (a76a681), on a7ff898 (with
    # four wish sets trained on, then taken out again) and on the final data (ab608a3 = 89e9b0d's
    # 22,620 rows). Start: 134/140, 87/90, 114/120, 80/80 and 137/140, 87/90, 119/120, 80/80.
    ("distress_batch45.jsonl", False, (133, 87, 114, 80)),  # released session 21
    ("distress_batch46.jsonl", False, (136, 86, 119, 80)),  # released session 21
    # session 20: a second probe of romanised and code-switched chat; start 78/80, 40/40,
    # 109/120, 98/100; release 77, 40, 112, 100:
    ("distress_roman_probe2.jsonl", False, (78, 40, 111, 99)),  # released session 21
    # session 20: four development sets of wishes to die and hints of suicide without the word
    # (rd16-rd19, 360 real, 180 in jest), written blind, read by the integrator, kept out of
    # training (trained on, they cost known cries: README "Session 20"). A measured gap, not a
    # target: 233/360 found (answered as check-ins or missed: asking about doses, goodbyes for
    # good, wanting to disappear).
    # Session 21: tuned on by the hint signals (README "Session 21"), 233 -> 353/360, 160 -> 161/180
    # (the bare-wish rule, two rounds of patterns, the release); a development set now. Session 22:
    # the release of batches 47-48 made two jokes of it emergencies (an old item's "want to
    # disappear forever" after a Zoom blunder, "muon chet" at a bowl of pho): 161 -> 159.
    ("distress_wish_hints_dev1.jsonl", True, (353, 353, 159, 0)),
    # session 21: a development set of everyday look-alikes of those hints (rd20, 200 close calls:
    # dose questions for a fever, goodbyes before a move, a rope for camping), written blind,
    # read by the tuners of the session's hint patterns; kept out of training (trained on, it cost
    # three known cries: a Burmese cry of forced sex with guests, "ton ni yak tai laew", a hint
    # beside a lost passport). Measured before any tuning 167/200 kept.
    ("distress_hint_lookalikes_dev1.jsonl", True, (0, 0, 169, 0)),
    # Session 21: a second development set of hints (rd21, 18 hints and 8 look-alikes a language),
    # written blind after the first round of hint signals; 121/180, 79/80 before the second round
    # was written on it; session 22's release lost one (a Tagalog "look after the youngest for me"):
    ("distress_wish_hints_dev2.jsonl", True, (177, 177, 79, 0)),
    # Session 21, written at its start and sealed until the final code (d53c3f7); start 077ed8c
    # 139/140, 89/90, 117/120, 79/80 and 134/140, 87/90, 114/120, 80/80:
    ("distress_batch47.jsonl", False, (138, 88, 117, 79)),  # released session 22
    ("distress_batch48.jsonl", False, (135, 87, 114, 80)),  # released session 22
    # session 21: a sealed set of wishes to die and hints without the word (20 cries, all
    # emergencies, and 10 look-alikes a language); start 129/200, 93/100, final 151/200, 93/100.
    # Session 22: opened as a development set and tuned on by the third round of hint signals
    # (README "Session 22"); kept out of training:
    ("distress_wish_hints2.jsonl", True, (195, 195, 94, 0)),
    # session 22: a development set of emergencies (rd22: 16 cries, all emergencies - beatings,
    # being sold tonight, forwarded ransom, care denied, hints, sexual violence - and 8 look-alikes
    # a language), written blind, measured before tuning: 151/160, 68/80 (severity 121). Trained
    # on, it raised three everyday texts the fast tests guard (a 20th-floor window, a fifth-floor
    # roof, "ta nee ja ti boss laew"), so it stays out of training:
    ("distress_emergencies_dev1.jsonl", True, (155, 155, 68, 0)),
    # Session 22, written at its start and sealed until the final code; start (ecd0e4d) 136/140,
    # 88/90, 117/120, 80/80 both; a sealed wish-and-hint set as wh2 (wh3), start 162/200, 96/100:
    ("distress_batch49.jsonl", True, (138, 89, 117, 80)),
    ("distress_batch50.jsonl", True, (138, 88, 117, 80)),
    ("distress_wish_hints3.jsonl", True, (195, 195, 97, 0)),
    # Session 23: wh3 opened as a development set, tuned on by the fourth round of hint signals
    # (175 -> 195/200, close 96 -> 97); wh2, wh3, rd16-rd19, rd21, rd20, rd22 and rd23 teach the
    # severity stage alone (content/distress_severity_examples.jsonl), never the stages that decide
    # distress: still held out for these counts. rd23 (a second development set of emergencies,
    # as rd22), measured before tuning 151/160, 73/80 (severity 118); after 155/160, 73/80:
    ("distress_emergencies_dev2.jsonl", True, (155, 155, 73, 0)),
    # Session 23, written at its start and sealed until the final code (3a02f54); start a8178f4
    # 135/140, 88/90, 119/120, 80/80 and 138/140, 90/90, 119/120, 80/80 (final the same; emergency
    # severity 77 -> 79 and 83); a third sealed wish-and-hint set (wh4), start 173/200, 95/100
    # (severity 140), final 178/200, 95/100 (severity 161); a Burmese batch (b53, 28 cries, 22
    # close calls, 10 ordinary) written after the final code, start and final 28, 18, 17, 10:
    ("distress_batch51.jsonl", True, (134, 87, 119, 80)),  # session 26: see batch 58
    ("distress_batch52.jsonl", True, (138, 90, 118, 80)),  # session 26: see batch 58
    ("distress_wish_hints4.jsonl", True, (178, 178, 95, 0)),
    ("distress_batch53.jsonl", True, (28, 18, 17, 10)),
    # Session 24: wh4 and b53 opened as development sets (wh4 teaches the severity stage alone,
    # as wh2 and wh3). rd24 (Burmese, mostly romanised: 88 cries, 48 emergencies, 72 close calls),
    # written blind, measured before tuning 81/88, 43/48, 60/72 (severity 37). Trained on by every
    # stage, it cost a known Burmese compound cry (cp-my-08) and one more everyday emergency; its
    # cries alone cost close calls (kept 60 -> 55/72): it teaches the severity stage alone. Tuned
    # on by the romanised Burmese signals: 84/88, 46/48, 61/72:
    ("distress_burmese_dev1.jsonl", True, (84, 46, 61, 0)),
    # Session 24, written at its start and sealed (counts only; start 02dfee5, session 23's code):
    # batch 54 138/140, 89/90, 117/120, 80/80 at the start and on the final code (emergency
    # severity 83 -> 84); a Burmese batch (b55) 25/28, 15/18, 17/22, 10/10 -> 26/28, 16/18, 17/22,
    # 10/10 (severity 12 -> 13); a fourth sealed wish-and-hint set (wh5) 171/200, 91/100 both
    # (severity 158 both). A fifth round of hint signals was measured on them too (wh5 172/200,
    # 90/100) and taken out after a review showed its items raising everyday messages:
    ("distress_batch54.jsonl", True, (138, 89, 117, 80)),
    ("distress_batch55.jsonl", True, (26, 16, 17, 10)),
    ("distress_wish_hints5.jsonl", True, (171, 171, 91, 0)),
    # Session 25, written at its start and sealed (counts only; start f719cbf, session 24's code):
    # batch 56 135/140, 87/90, 114/120, 79/80 and the Burmese b57 28/28, 18/18, 19/22, 10/10 at the
    # start and on the final code (b56 severity 82 -> 83); a fifth sealed wish-and-hint set (wh6)
    # 176 -> 178/200, 93/100 both (severity 162 -> 164): the concept stage (measured too on a217e3c,
    # its first gate: 181/200, and 5c4694a, before overlapping matches: 179/200). whd6 (a
    # development set of 240 hints and 160 look-alikes, written blind with them, read by the
    # integrator; trained on by no stage): 202 -> 209/240, 153/160 both; the concept stage's gate
    # was chosen on it, on rd25 and on CV by batch.
    ("distress_batch56.jsonl", True, (135, 87, 113, 79)),  # session 26: see batch 58
    ("distress_batch57.jsonl", True, (28, 18, 19, 10)),
    ("distress_wish_hints6.jsonl", True, (178, 178, 93, 0)),
    ("distress_wish_hints_dev3.jsonl", True, (209, 209, 153, 0)),
    # Session 25: rd25, a development set of everyday look-alikes of the hints (a balcony, a river,
    # a rope for laundry, pills for a fever, a farewell party: 300) and hints in the same places
    # (100), written blind after the concept stage first raised such texts; measured before it was
    # trained on 92/100, 270/300 (session 24's code) and 96/100, 263/300 (concept stage, a217e3c).
    # It joined the development sets (content/distress_severity_examples.jsonl) then:
    ("distress_hint_lookalikes_dev2.jsonl", True, (96, 96, 270, 0)),
    # Session 26, written at its start and sealed (counts only; start 4f730ed, session 25's code):
    # batch 58 136/140, 86/90, 117/120, 79/80 at the start and on the final code (severity 80 ->
    # 81); a sixth sealed wish-and-hint set (wh7) 165 -> 174/200, 95 -> 100/100 (severity 156 ->
    # 165). whd7 (a development set of 240 hints and 160 look-alikes, written blind with them,
    # read by the integrator, trained on by no stage) 204 -> 213/240, 151 -> 154/160: the first
    # stage learns the development sets (DEVELOPMENT_WEIGHT), the concept tables gained a second
    # writer and six hint concepts (README "Session 26"). Without the texts written word for word
    # in the development sets (short wishes: 31 cries of wh7, 35 of whd7, 1 of b58), the same
    # gains: wh7 135 -> 144/169, whd7 169 -> 178/205. Costs on the sealed batches of sessions
    # 23-25 (the first stage learning the development sets; counts only): batch 51 an emergency
    # cry lost (135 -> 134, 88 -> 87), batch 52 a cry found and a close call raised (138 -> 139,
    # 119 -> 118), batch 56 a close call raised and an ordinary message kept (114 -> 113, 79 -> 80).
    ("distress_batch58.jsonl", True, (136, 86, 117, 79)),
    ("distress_wish_hints7.jsonl", True, (174, 174, 100, 0)),
    ("distress_wish_hints_dev4.jsonl", True, (213, 213, 154, 0)),
    # measured once on the final offer code (fded8fd, unchanged at 7b46c9c); 78c02f6: 98/118
    ("offers_batch16.jsonl", True, (99, 118)),
    ("offers_batch17.jsonl", True, (100, 120)),  # 78c02f6: 100/100, 119/120
]


#: Held-out sets measured, then learned as development sets (by the severity, concept and first
#: stages): every other held-out set stays out of that file.
DEVELOPMENT_SETS = {
    "distress_wish_hints_dev1.jsonl", "distress_hint_lookalikes_dev1.jsonl",
    "distress_wish_hints_dev2.jsonl", "distress_wish_hints2.jsonl", "distress_wish_hints3.jsonl",
    "distress_emergencies_dev1.jsonl", "distress_emergencies_dev2.jsonl",
    "distress_wish_hints4.jsonl", "distress_burmese_dev1.jsonl",
    "distress_hint_lookalikes_dev2.jsonl",
    "distress_wish_hints5.jsonl", "distress_wish_hints6.jsonl", "distress_wish_hints_dev3.jsonl",
}


@cache
def _development_rows() -> tuple[dict, ...]:
    text = (ROOT / "content" / "distress_severity_examples.jsonl").read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


def _development_ids() -> frozenset[str]:
    return frozenset(row["id"] for row in _development_rows())


#: Longer texts a blind writer wrote word for word as an earlier writer had, counted as written
#: (session 19: b43-my-19, a Burmese close call of 109 characters, was b37-my-19; both are
#: training data now).
WRITTEN_TWICE: set[str] = set()


def test_only_the_named_development_sets_are_learned() -> None:
    named = {row["id"] for name in DEVELOPMENT_SETS for row in _rows(name)}
    assert _development_ids() == named


@pytest.mark.parametrize(("name", "held_out", "floors"), BATCHES, ids=[b[0] for b in BATCHES])
def test_blind_batch_keeps_its_figures(name: str, held_out: bool, floors: tuple[int, ...]) -> None:
    rows = _rows(name)
    kind = "distress" if name.startswith("distress") else "offer"
    examples = _examples(kind)
    known_ids = {e["id"] for e in examples}
    if held_out:  # never training data: neither its ids nor its texts. Short texts recur in
        # independent batches: greetings, and two close calls of batches 19 and 20 (76 and 70
        # characters) that other writers had written word for word in batches 10 and 15
        known_texts = {e["text"] for e in examples if len(e["text"]) >= 100}
        assert not any(r["id"] in known_ids or (r["text"] in known_texts
                                                and r["id"] not in WRITTEN_TWICE) for r in rows)
        if kind == "distress" and name not in DEVELOPMENT_SETS:
            assert not {r["id"] for r in rows} & _development_ids(), name
            learned = {d["text"] for d in _development_rows() if len(d["text"]) >= 100}
            assert not {r["text"] for r in rows} & learned, name
    else:  # released: the learned recogniser is trained on it
        assert {r["id"] for r in rows} <= known_ids
    counts = _distress_counts(rows) if kind == "distress" else _offer_counts(rows)
    assert all(n >= floor for n, floor in zip(counts, floors, strict=True)), counts

"""Session 18 (roman18): cries typed in romanised Khmer, Lao and Thai (Latin letters, spellings
that vary: luy/luiy/lui, vay/vey, slab/slap, ot/at/ort) that no signal named, and everyday texts
with the same words that must stay quiet (issue #14). The texts are written for these tests, not
copied from content/distress_examples.jsonl."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage


@pytest.mark.parametrize(("text", "signal"), [
    # Khmer: a ransom with a threat against a relative (cf. sp9-km-03, b23-km-03, b40-km-17)
    ("ke tha oy phnhae luy 3000 dollar, ber ot te ke vay pros knhom dol slab", "THREATS"),
    ("mean ke tel mok tha trov oy luy 4000$ bae min ban ke samlab oun knhom", "THREATS"),
    ("ber ot ban prak 2000 dolla knong 5 thngai min ban kheunh kon teat te", "THREATS"),
    ("vea tha bae rot tiet vea nung kat mream dai", "THREATS"),
    # Khmer: a debt that grows every day, money demanded for release (cf. sp9-km-13, b4-km-10)
    ("bomnol knhom kan te chraen, ke bok luy rol thngai, sang min os", "DEBT_BONDAGE"),
    ("ke tam prak 6000 dolla ban aoy chenh pi kanleng nis", "DEBT_BONDAGE"),
    ("knhom chong trolob srok vinh, tae ke tha trov sang bomnol 4000 dollar sen", "DEBT_BONDAGE"),
    # Khmer: beatings, electric shocks, the dark room, sold, passport taken, not let out
    ("ke vay knhom ral yub pruos ot krob target", "VIOLENCE"),
    ("thaokae chhak phleung knea 3 nak yub minh", "VIOLENCE"),
    ("zhuguan dak knhom knong bantob ngongit 2 thngai", "VIOLENCE"),
    ("ke lok yerng aoy company mouy tiet haey", "SOLD"),
    ("kromhun thmey tinh knhom hz, ke tha jompeak 8000$", "SOLD"),
    ("thaokae yok passport knhom tuk", "DOCUMENTS_TAKEN"),
    ("ke min aoy knhom chenh pi borey te", "CONFINEMENT"),
    # Lao: a ransom, beatings, shocks, no rice, a debt, the passport held
    ("tha bo on ngern 20000$ si kha luk xai khoy", "THREATS"),
    ("man bok wa tha bo jai si tat niw meu nong", "THREATS"),
    ("khao ti khoy eek, jep lai", "VIOLENCE"),
    ("mue van nee khao sot fai phuean 3 khon", "VIOLENCE"),
    ("khao tee phuean jon salop", "VIOLENCE"),
    ("mue eun khao si ao phuak hao pai hong meud", "VIOLENCE"),
    ("khao bo hai kin khao 3 mue laew", "FOOD_DENIED"),
    ("hua na wa khoy pen ni 4000 dolla", "DEBT_BONDAGE"),
    ("passport khoy yu kab nai, tha yak ok pai tong jai 3000 dollar", "DOCUMENTS_TAKEN"),
    ("pen khai 4 van laew nai bo hai pai ha mo", "DENIED_CARE"),
    # Thai: a ransom, shocks and beatings, sold on, no rice, no doctor, passport seized, a debt
    ("tha mai on 3 saen ja kha nong phom", "THREATS"),
    ("don chot fai eek laew wan nee", "VIOLENCE"),
    ("man tee phom jon leuad ork", "VIOLENCE"),
    ("nu tuk khai tor pai hai company uen laew", "SOLD"),
    ("yod mai tueng mai hai kin khao 3 wan", "FOOD_DENIED"),
    ("phuean puay mak 5 wan laew nai mai hai pai ha mor", "DENIED_CARE"),
    ("passport phom don yued tang tae wan raek", "DOCUMENTS_TAKEN"),
    ("nai bok wa phom pen ni 4 saen", "DEBT_BONDAGE"),
    ("tong jai ka nee 3 saen kon ja ok pai dai", "DEBT_BONDAGE"),
    ("kao mai hai ok pai nai loei", "CONFINEMENT"),
    # the second round: a police report answered with a killing, "till his leg breaks", pay
    # before going home, a kidney to sell, the supervisor checks phones, come quietly
    ("vea tha ber knhom prab polis vea nung samlab mae knhom", "IMMEDIATE_DANGER"),
    ("yam wa tha phai nee ik si ti jon kha hak", "THREATS"),
    ("yak kub ban tae hua na wa tong jai ngern kon", "DEBT_BONDAGE"),
    ("yod bo hod, khao hak ngern duean mot", "DEBT_BONDAGE"),
    ("thaokae tha knhom jompeak 5000 dollar", "DEBT_BONDAGE"),
    ("khao bok wa tha mai jai ja ao nu pai khai tai", "THREAT_OF_SALE"),
    ("主管 chhek phone knhom ral yub", "COVERT_CONTACT"),
    ("bong mok yok oun snguot snguot ban te", "COVERT_CONTACT"),
    ("ma hap khoy ngiap ngiap dai bo", "COVERT_CONTACT"),
    ("bong mok yok oun ban te? kom tel mok", "COVERT_CONTACT"),
    ("ma hap khoy dai bo, ya tho ma der", "COVERT_CONTACT"),
    ("ork pai khang nok mai dai loei, yam fao pratu", "CONFINEMENT"),
    ("bo hu wa yu muang dai, nang lot ma mot khuen", "TRAFFICKED"),
    ("khao pha kham nam khong tawn kang khuen", "CROSS_BORDER_MOVE"),
    ("mak tha thaokae som luy loas kon 3000 dollar", "DEBT_BONDAGE"),
    ("mit knhom chheu klang, som tov pet ke min oy", "DENIED_CARE"),
    ("si ao khoy pai thim nam khong", "THREATS"),
    ("man bok ja ao pai thuang nam", "THREATS"),
])
def test_a_romanised_cry_names_its_signal(text: str, signal: str) -> None:
    assert signal in match_signals(text)


@pytest.mark.parametrize("text", [
    "ke tha oy phnhae luy 3000 dollar, ber ot te ke vay pros knhom dol slab",
    "thaokae chhak phleung knea 3 nak yub minh",
    "khao bo hai kin khao 3 mue laew",
    "man tee phom jon leuad ork",
    "nu tuk khai tor pai hai company uen laew",
])
def test_a_romanised_ransom_beating_or_sale_is_distress(text: str) -> None:
    assert triage(text).distress


@pytest.mark.parametrize(("text", "signal"), [
    # a bank loan, a phone bill, sending money home as usual, a game, a film, rent
    ("bomnol bank kan te chraen, kar rol khae, min deng sang yang mech", "DEBT_BONDAGE"),
    ("vicheyka tursap khae nis kan te chraen, trov sang mun thngai 15", "DEBT_BONDAGE"),
    ("ke kat luy rol khae sang bank", "DEBT_BONDAGE"),
    ("khoy pen ni bank 2 lan kip tong song tuk duean", "DEBT_BONDAGE"),
    ("tong jai ngern dao 2 saen kon ja ok rot dai", "DEBT_BONDAGE"),
    ("tha yak kub ban tong chai kha pee yon bin 5 lan kip", "DEBT_BONDAGE"),
    ("mchas phteah jual tam luy, ber ot ban aoy chenh pi phteah", "DEBT_BONDAGE"),
    ("knhom phnhae luy tov mak reang real khae dauch thmada", "DEBT_BONDAGE"),
    ("ber ot mean luy, knhom min ban kheunh mak chol chhnam nis te", "THREATS"),
    ("leng game, ber ot luy ke vay knhom dol slab haha", "THREATS"),
    ("merl film yub minh, ke tam luy 5000$ bae ot ke samlab kon srey", "THREATS"),
    ("la vang der, mit si tat niw mue", "THREATS"),
    # a sibling's fight at school, football, boxing, a dark room in a power cut
    ("oun knhom vay knea jea mit nov sala reang real thngai", "VIOLENCE"),
    ("knhom vay kon bal reang real thngai nov sala", "VIOLENCE"),
    ("bantob ngongit nas, dach phleung pi yub", "VIOLENCE"),
    ("nak muay ti jon salop nai yok 3", "VIOLENCE"),
    ("pee chai phom chok muay don tee jon salop nai wethi", "VIOLENCE"),
    ("khao ti khoy het kin laew sab lai", "VIOLENCE"),
    ("kao tee phom kin mua wan aroi mak", "VIOLENCE"),
    # a fast before surgery, a child's snacks, a car or a house sold, a visa agent
    ("mo bo hai kin khao 2 mue kon pha tat", "FOOD_DENIED"),
    ("mae bo hai kin khao nom 2 wan laew 555", "FOOD_DENIED"),
    ("mor mai hai kin khao 1 wan kon pa tat", "FOOD_DENIED"),
    ("mae mai hai kin khanom 2 wan laew", "FOOD_DENIED"),
    ("rot phom tuk khai tor hai tent rot laew", "SOLD"),
    ("ke lok phteah oy neak thmey haey", "SOLD"),
    ("ke tinh oy knhom nham bay", "SOLD"),
    ("passport phom yu kap agency tam visa", "DOCUMENTS_TAKEN"),
    # the second round's words in everyday use
    ("bae knhom prab polis pi chor luoch moto, ke nung chuoy rok", "IMMEDIATE_DANGER"),
    ("bong mok yok knhom nov phsar snguot snguot ban te, kom tel pel beuk bor", "COVERT_CONTACT"),
    ("bong mok yok knhom ban te, kom tel, tursap jit os tmor", "COVERT_CONTACT"),
    ("ma hap khoy ngiap ngiap der, dek nony non yu", "COVERT_CONTACT"),
    ("ma hap khoy dai bo ya tho ma, khoy yu nai hong prachum", "COVERT_CONTACT"),
    ("fon tok nak, ok pai nok bo dai mue ni", "CONFINEMENT"),
    ("fon tok nak ok pai khang nok mai dai loei", "CONFINEMENT"),
    ("credit card pen ni perm tuk duean", "DEBT_BONDAGE"),
    ("boss tha knhom jompeak 50 dollar tlai ahar", "DEBT_BONDAGE"),
    ("yak kub ban tae khao wa tong jai ngern kha hong kon", "DEBT_BONDAGE"),
    ("ja ao pai khai tai talat", "THREAT_OF_SALE"),
    ("mae ja tee kha hak laew 555", "THREATS"),
    ("kham mae nam tawn klang kuen pai tiew lao", "CROSS_BORDER_MOVE"),
    ("mai roo wa tee nee tee nai, long tang pai tiew", "TRAFFICKED"),
    ("ke som luy loas moto pi pon", "DEBT_BONDAGE"),  # a motorbike out of pawn
    ("kchei luy bank tov tinh moto, khae nis trov sang", "DEBT_BONDAGE"),
    ("mak som tov pet ke min oy te pruos rovul", "DENIED_CARE"),
    ("mue ni si ao khi nhia pai thim long nam khong", "THREATS"),  # rubbish into the river
])
def test_everyday_romanised_text_with_the_same_words_stays_quiet(text: str, signal: str) -> None:
    assert signal not in match_signals(text)


@pytest.mark.parametrize(("text", "signal"), [
    # Script cries that short messages left unflagged: the boss locked me in (the model scored
    # such short cries 0.01-0.03; FIRST_HAND beside CONFINEMENT makes them distress), fines that
    # grow, repay before quitting, the passport kept, phones collected for checks.
    ("บอสขังผมไว้ในห้องมืด 😭", "FIRST_HAND"),
    ("ថៅកែចាក់សោយើងក្នុងអគារ", "FIRST_HAND"),
    ("ບອສຂັງພວກເຮົາໄວ້ໃນຕຶກ", "FIRST_HAND"),
    ("ค่าปรับเพิ่มทุกวัน หนี้ไม่หมดสักที", "DEBT_BONDAGE"),
    ("បើចង់ឈប់ ត្រូវសងថ្លៃយន្តហោះ និងថ្លៃបន្ទប់ ទើបគេឲ្យទៅ", "DEBT_BONDAGE"),
    ("ໜັງສືຜ່ານແດນ ນາຍເກັບໄວ້ ບໍ່ໃຫ້ຄືນ", "DOCUMENTS_TAKEN"),
    ("หัวหน้าเก็บมือถือไปตรวจทุกคืน ตอบได้ตอนตีสอง", "COVERT_CONTACT"),
])
def test_a_short_script_cry_names_its_signal(text: str, signal: str) -> None:
    assert signal in match_signals(text)


@pytest.mark.parametrize("text", ["บอสขังผมไว้ในห้องมืด 😭", "ບອສຂັງພວກເຮົາໄວ້ໃນຕຶກ"])
def test_the_boss_locked_me_in_is_distress(text: str) -> None:
    assert triage(text).distress


@pytest.mark.parametrize(("text", "signal"), [
    ("แม่ขังหนูไว้ในห้อง ไม่ให้ไปเที่ยว 😭", "FIRST_HAND"),  # a mother's grounding
    ("หัวหน้าขังเราไว้ในห้องประชุมสามชั่วโมง 555", "FIRST_HAND"),  # a long meeting, a joke
    ("หนี้บัตรเครดิตไม่หมดสักที เหนื่อย", "DEBT_BONDAGE"),  # a credit card
    ("បើចង់ឈប់ធ្វើការធនាគារ ត្រូវសងកម្ចីមុន", "DEBT_BONDAGE"),  # a bank job and a bank loan
    ("ໜັງສືຜ່ານແດນ ສະຖານທູດເກັບໄວ້ເຮັດວີຊາ", "DOCUMENTS_TAKEN"),  # the embassy, for a visa
])
def test_everyday_script_text_with_the_same_words_stays_quiet(text: str, signal: str) -> None:
    assert signal not in match_signals(text)

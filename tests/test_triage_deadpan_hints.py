"""Deadpan hints of suicide and self-harm (issue #14, session 15, wish18): a last message, means
made ready (pills bought or prepared, a rope, standing on a roof or bridge), sorry to mother with
"going first / in the next life", "tired of living, want to end it", "gone forever", and "I'm
finished, bye everyone" when it is final. On a development set of wishes to die against everyday
death-wish hyperbole, sixteen such cries had no signal at all and a low model score. They are
SUICIDAL now; each pattern is anchored so the everyday use of the same words (the last message
before sleep, pills for a flight or a headache, rope for camping, going first to a restaurant,
a game's "I'm finished") stays quiet. The texts below are new wording, not the development rows.
A SUICIDAL-only message both stages read as hyperbole gets a check-in (recogniser.check_in_*),
so the cries are asserted as answered (distress or check-in), never silent."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

CRIES = [
    # en
    "this is my final message. thank you for everything",
    "bought a rope today. just so somebody knows",
    "the pills are ready. goodbye everyone",
    "standing on the roof now. sorry mum, love you all",
    "sorry mum, in my next life ill be a better son",
    "i just want to disappear forever",
    "im finished. goodbye everyone",
    # id
    "ini adalah pesan terakhirku, makasih semuanya",
    "pgn ngilang aja selamanya",
    "tali udah siap. maafin aku semua",
    "maafin aku bu, di kehidupan selanjutnya aku jadi anak yang berbakti",
    # th
    "นี่คือข้อความสุดท้ายของหนู",
    "ยานอนหลับซื้อไว้แล้ว ลาก่อนทุกคน",
    "ขอโทษนะพ่อ ผมไปก่อน",
    "ชาติหน้าขอเกิดเป็นลูกแม่อีก",
    "nee khue khor khwam sud tai",
    # lo
    "ນີ້ແມ່ນຂໍ້ຄວາມສຸດທ້າຍຂອງລູກ",
    "ຊື້ຢານອນຫຼັບໄວ້ແລ້ວ ລາກ່ອນທຸກຄົນ",
    "ຂໍໂທດພໍ່ ລູກໄປກ່ອນ",
    # km
    "នេះជាសារចុងក្រោយរបស់កូន",
    "សុំទោសម៉ែ កូនទៅមុនហើយ",
    "nih chea sara chong kraoy rbos knhom",
    "ថ្នាំរៀបចំរួចហើយ សុំទោសម៉ែ",
    # my
    "ဒါက နောက်ဆုံး message ပါ",
    "အမေ တောင်းပန်ပါတယ် နောက်ဘဝမှာ သားကောင်းဖြစ်မယ်",
    "dar ka naut sone message pa",
    # ne
    "यो मेरो आखिरी सन्देश हो",
    "डोरी किनिसकें, सबैलाई माफ गर्नु",
    "yahi mero antim msg ho",
    # tl
    "ito na ang huling mensahe ko",
    "nandito ako sa bubong, paalam na sa inyo",
    "gusto ko nang mawala nang tuluyan",
    # vi
    "đây là tin nhắn cuối cùng của con",
    "xin lỗi mẹ, kiếp sau con lại làm con của mẹ",
    "chỉ muốn biến mất mãi mãi",
    # zh
    "这是我最后一条消息了",
    "绳子已经准备好了",
    "活着太累了，想解脱了",
    "下辈子再报答你们",
]

EVERYDAY = [
    # en
    "this is my last message for today, going to sleep",
    "sleeping pills are ready for my flight tomorrow, bye everyone",
    "the pills are ready for my headache, goodbye pain lol",
    "the rope is ready for camping this weekend",
    "sorry mom im going first, see you at the restaurant",
    "sorry mom ill be late tonight",
    "im on the roof, sorry mum cant hear you, bad signal",
    "gg im finished. bye everyone",
    "im standing on the bridge taking photos of the sunset, bye everyone",
    "i want to disappear forever from this group chat",
    "this is my final message about the invoice, please pay by friday",
    # id
    "ini pesan terakhirku hari ini ya, mau tidur",
    "tali udah siap buat kemah besok",
    "malu banget pengen ngilang selamanya",
    "aku pamit selamanya dari grup ini",
    "ini pesan terakhir ya, abis ini aku off",
    # th
    "นี่คือข้อความสุดท้ายของวันนี้ ไปนอนแล้ว",
    "ยาเตรียมไว้หมดแล้ว พรุ่งนี้ไปเที่ยว",
    "ขอโทษแม่ หนูไปก่อนนะ สายแล้ว",
    "ขอโทษนะพ่อ ผมไปก่อนนะ เพื่อนรออยู่",
    "เชือกเตรียมไว้แล้ว ไปแคมป์กัน",
    "ยาซื้อไว้แล้วนะแม่",
    # lo
    "ກຽມຢາໄວ້ແລ້ວ ພ້ອມໄປທ່ຽວ",
    "ຂໍໂທດແມ່ ລູກໄປກ່ອນ ໄປໂຮງຮຽນຊ້າແລ້ວ",
    "ນີ້ແມ່ນຂໍ້ຄວາມສຸດທ້າຍມື້ນີ້",
    "ຊື້ຢາໄວ້ແລ້ວ",
    # km
    "នេះជាសារចុងក្រោយថ្ងៃនេះ ទៅគេងហើយ",
    "សុំទោសម៉ាក់ កូនទៅរៀនហើយ",
    "ថ្នាំទិញរួចហើយ សម្រាប់ឈឺក្បាល",
    # my
    "ဒါ နောက်ဆုံးစာပါ ဒီနေ့ အိပ်တော့မယ်",
    "ကြိုးစားပါမယ်",
    # ne
    "यो मेरो अन्तिम म्यासेज हो आजको, सुत्ने बेला भयो",
    "डोरी तयार छ, बाख्रा बाँध्न",
    # tl
    "ito na ang huling message ko ngayong gabi, tulog na ako",
    "tali handa na para sa camping",
    # vi
    "đây là tin nhắn cuối cùng hôm nay nha, đi ngủ đây",
    "xin lỗi mẹ con đi trước, trễ học rồi",
    "vĩnh biệt facebook",
    "muốn kết thúc mọi thứ trước Tết",
    # zh
    "这是今天最后一条消息，晚安",
    "绳子准备好了，明天去露营",
    "对不起妈，我先走一步，上班要迟到了",
    "尴尬到想从世界上消失",
    "安全绳系好了，开始干活",
]


@pytest.mark.parametrize("text", CRIES)
def test_a_deadpan_hint_is_a_wish_to_die(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)
    decision = triage(text)
    assert decision.distress or decision.check_in


@pytest.mark.parametrize("text", EVERYDAY)
def test_the_everyday_use_is_no_self_harm_signal(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text)

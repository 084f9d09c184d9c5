"""Wishes to die and self-harm that raised no signal (issue #14, session 16, wish19). On a
development set of deadpan wishes to die, cries of four families had no signal at all, so the
models alone decided and missed some: standing on a bridge, at the river or on a roof where a jump
"would end it all" / "is the only way" / "one step"; a last message to mother ("sorry mum, this
is your son's last message"); self-harm, also after coming home ("still cutting my arm every
night", "thoughts of cutting the vein in my wrist"); "I don't want to wake up again". They are
SUICIDAL now in all ten languages, native script and the romanised forms people type. Each
pattern is anchored so that the everyday use of the same words stays quiet: a bridge photo or the
only road across, a jump into the pool on a hot day, the last message of the year or before
boarding, cutting vegetables, hair, nails or a sleeve, an accident on broken glass, surgery,
scrolling the phone, waking early tomorrow. The texts are new wording, not the development rows.
A SUICIDAL-only message both stages read as hyperbole gets a check-in (recogniser.check_in_*), so
the cries are asserted as answered (distress or check-in), never silent."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

CRIES = [
    # bridge / water / roof
    "standing at the river again. if i jump it will all be over",
    "im on the bridge now. nobody would notice, this is the only way",
    "sitting on the ledge of the roof, one more step and its done",
    "lagi di atas jembatan, kalau loncat semua selesai",
    "di atap gedung lantai 12, kayaknya ini satu-satunya jalan",
    "ឈរលើស្ពាន គិតថាលោតចូលទន្លេទៅ អ្វីៗនឹងចប់",
    "ខ្ញុំនឹងលោតពីលើដំបូលអគារយប់នេះ",
    "knhom chong lout pi leu spean",
    "ຢືນຢູ່ເທິງຂົວ ຄິດວ່າໂດດລົງນ້ຳໄປຈົບທຸກຢ່າງ",
    "dot long nam khong pai khue si sabai kwa",
    "တံတားပေါ်ရောက်နေပြီ ခုန်ချလိုက်ရင် ဒုက္ခတွေ ပြီးသွားမှာ",
    "khone cha lite yin a lone pyi thwar mal",
    "पुलमा उभिएको छु, हामफाले एकै छिनमा सबै सकिन्छ",
    "pul ma ubhiyeko chu, ekchin mai sabai sakincha",
    "ยืนอยู่บนสะพาน กระโดดลงไปคงจบทุกอย่าง",
    "yuen yu bon saphan, kra dot long pai job tuk yang",
    "nandito ako sa tulay, isang talon lang matatapos na lahat",
    "nasa bubong ako ng building, isang hakbang na lang",
    "đang ngồi trên cầu, nhảy xuống là giải thoát",
    "o tren san thuong, day la cach duy nhat",
    "站在桥上看着江水，跳下去就解脱了",
    "楼顶风很大，跳下去就一了百了",
    "zhan zai qiao shang, tiao xia qu jiu jie tuo le",
    # last message to mum
    "mum im sorry, this is your sons last message",
    "this is probably my last message, tell mum i love her",
    "ma maafin aku, ini pesan terakhir anakmu",
    "ម៉ែ កូនសុំទោស នេះជាសារចុងក្រោយរបស់កូន",
    "mak som tos, nih chea sar chong kroy",
    "ແມ່ ລູກຂໍໂທດ ນີ້ແມ່ນຂໍ້ຄວາມສຸດທ້າຍຂອງລູກ",
    "mae luk kho thot, ni maen kho kwam sut thai",
    "မေမေ ခွင့်လွှတ်ပါ ဒါ သမီးရဲ့ နောက်ဆုံးစာပါ",
    "a may taung pan par, dar naut sone sar par",
    "आमा माफ गर्नुहोस्, यो तपाईंको छोराको अन्तिम सन्देश हो",
    "aama maaf garnu, yo mero antim message ho",
    "แม่ ขอโทษนะ นี่คือข้อความสุดท้ายของลูก",
    "mae kor tod na, nee kue kho kwam sut thai",
    "ma patawad, ito na ang huling mensahe ng anak mo",
    "mẹ ơi con xin lỗi, đây là tin nhắn cuối cùng của con",
    "me oi con xin loi, day la tin nhan cuoi cua con",
    "妈，对不起，这是儿子最后一条消息了",
    "ma dui bu qi, zhe shi wo zui hou yi tiao xiao xi",
    # self harm
    "been home two months but im still cutting my arms every night",
    "i keep thinking about slitting my wrists",
    "started self harming again since i got back",
    "aku masih nyayat lengan tiap malam",
    "pengen motong nadi aja rasanya",
    "ខ្ញុំនៅតែឆូតដៃខ្លួនឯងរាល់យប់",
    "knhom nov tae kat dai khluon eng",
    "ກີດຂໍ້ມືອີກແລ້ວ",
    "kheed khaen to eng ik laew",
    "သွေးကြောကို ဖြတ်ချင်တယ်",
    "ညတိုင်း ကိုယ့်ကိုယ်ကို ဘလိတ်နဲ့ ခြစ်နေတယ်",
    "नसा काट्ने मन छ",
    "hath ko nasa katne soch aairahancha",
    "ยังกรีดข้อมือตัวเองอยู่",
    "kreed khaen tua eng tuk kuen",
    "naglalaslas pa rin ako ng pulso gabi gabi",
    "sinusugatan ko pa rin sarili ko",
    "tối nào cũng rạch tay",
    "em lại cắt cổ tay rồi",
    "每天晚上都偷偷割腕",
    "又用小刀割手臂了",
    # wake up
    "i dont want to wake up again",
    "不想再醒来了",
    "không muốn thức dậy nữa, mệt lắm rồi",
    "ko muon thuc day nua",
    "မနိုးချင်တော့ဘူး",
    "फेरि ब्युँझन मन छैन",
    "सधैंको लागि सुत्न पाए हुन्थ्यो",
    "sadhai ko lagi sutna paye hunthyo",
    "ไม่อยากตื่นขึ้นมาอีกแล้ว",
    "ayoko nang gumising",
    "gak pengen bangun lagi",
    "ບໍ່ຢາກຕື່ນອີກແລ້ວ",
    "មិនចង់ភ្ញាក់ទៀតទេ",
    "bu xiang zai xing lai le",
    "ឈរលើស្ពាន នេះជាផ្លូវតែមួយគត់",
    "တံတားပေါ်မှာ ရပ်နေတယ် ဒါ တစ်ခုတည်းသော နည်းလမ်းပဲ",
    "पुलमा छु, यही एउटै बाटो हो",
    "thway kyaw ko phyat chin tal",
    "let ko dar nae hlee pyan pi",
    "zui jin you ge wan le",
    "yong dao pian hua shou le",
    "pheri byujhna man chaina",
    "zhe shi er zi zui hou yi tiao xiao xi",
    "yo chhora ko antim message ho",
    "dar tha ye naut sone sar par",
]

EVERYDAY = [
    # bridge / water / roof
    "took photos on the bridge at sunset, the only way to see the whole river",
    "the bridge is the only way across the river",
    "its so hot, jumping in the river would be so refreshing lol",
    "jumped off the bridge into the river with friends, bungee was amazing",
    "on the roof fixing the antenna, one more step and its done",
    "if i jump on this deal now it will all be over before lunch",
    "jump to the next level and the pain will end lol",
    "lagi di jembatan, macet parah, ini satu-satunya jalan ke kantor",
    "jembatan ini jalan satu-satunya ke desa kami",
    "panas bgt, loncat ke kolam renang pasti seger",
    "ក្មេងៗលោតចូលទន្លេលេងទឹក ក្តៅណាស់",
    "ឆ្មាលោតពីលើដំបូលផ្ទះ",
    "ຮ້ອນຫຼາຍ ໂດດລົງນ້ຳຄືຈະສະບາຍກວ່າ",
    "ໄປລອຍນ້ຳ ໂດດລົງນ້ຳສະບາຍຫຼາຍ",
    "ရေကူးကန်ထဲ ခုန်ချလိုက်ရင် အပူတွေ ပြီးသွားမှာ",
    "छतमा पार्टी छ, राति १२ बजे सबै सकिन्छ",
    "chhat ma party, 12 baje sab sakincha",
    "ร้อนมาก กระโดดลงสระคงสบาย",
    "ถ่ายรูปบนสะพาน วิวสวย ทางเดียวที่จะไปตลาด",
    "tatalon ako sa ilog, ang init kasi haha",
    "nasa rooftop kami, isang hakbang lang papunta sa pool",
    "nóng quá, nhảy xuống hồ bơi cho mát",
    "đứng trên cầu chụp ảnh hoàng hôn, đây là cách duy nhất để qua sông",
    "夏天太热了，跳下去游泳就凉快了",
    "在楼顶拍照，跳下去的镜头是特效",
    # last message
    "this is my last message of the year, happy new year everyone",
    "sorry mum, this is my last message before boarding, see you tomorrow",
    "this is your sons last message before the exam, wish me luck",
    "ini pesan terakhir anakmu tahun ini ma, selamat tahun baru",
    "ម៉ែ សុំទោស សារចុងក្រោយថ្ងៃនេះ កូនទៅគេងហើយ",
    "ຂໍ້ຄວາມສຸດທ້າຍຂອງລູກມື້ນີ້ ແມ່ນອນໄດ້ແລ້ວ",
    "ဒါ သားရဲ့ ဒီနှစ် နောက်ဆုံးစာပါ ပျော်ရွှင်သော နှစ်သစ်",
    "मेरो छोराको अन्तिम सन्देश तीन दिन अघि आएको थियो",
    "यो छोराको आजको अन्तिम म्यासेज हो, सुत्छु",
    "ito ang huling mensahe ng anak mo ngayong taon, happy new year ma",
    "这是儿子今年最后一条消息，新年快乐",
    "我儿子最后一条消息是三天前发的",
    # self harm
    "i cut my wrist on broken glass while cleaning",
    "i cut myself shaving again this morning",
    "cut my arm on the fence again lol",
    "still cutting my hair every month",
    "i keep burning my arm on the oven",
    "i wrote an essay about self harm awareness week",
    "ngiris bawang, tanganku kena pisau",
    "potong kuku tangan dulu",
    "ខ្ញុំកាត់ក្រចកដៃ",
    "ច្រឡំកាត់ដៃខ្លួនឯងពេលធ្វើម្ហូប",
    "ຕັດຜົມ ຕັດເລັບມື",
    "ကြက်သွန်လှီးရင်း လက်ကို ဓားနဲ့ ထပ်လှီးမိပြန်ပြီ",
    "डाक्टरले नसा काटेर अपरेसन गरे",
    "ยางพารา กรีดยางทุกคืน",
    "เสียงกรีดร้องดังมาก",
    "naghihiwa ako ng sibuyas, nahiwa ang kamay ko",
    "áo rách tay rồi",
    "cắt tay áo cho ngắn",
    "dao lam cạo râu cắt vào tay",
    "切菜的时候不小心用刀割到手了",
    "一直划手机到半夜",
    "游泳的时候要用力划手臂",
    # wake up
    "i dont want to wake up early tomorrow",
    "i dont want to wake up at 6 for work",
    "don't want to wake up on monday",
    "明天不想早起",
    "周末不想醒了，好困",
    "không muốn thức dậy sớm ngày mai",
    "ko muon thuc day som di hoc",
    "မနက်ဖြန် စောစော မနိုးချင်တော့ဘူး",
    "छुट्टीको दिन सधैंको लागि सुत्न मन छ हाहा",
    # more
    "กรีดขาไก่ก่อนหมักจะได้เข้าเนื้อ",
    "กระโดดไปอีกนิดก็จบเกมแล้ว",
    "rạch đùi gà cho thấm gia vị",
    "cắt cổ tay áo cho gọn",
    "nhảy qua bài này cho xong",
    "dosen suruh goresin tangan pake pulpen",
    "दोस्रो तलामा कार्यक्रम छ, ५ बजे सबै सकिन्छ",
    "市场跌了，赶紧割肉，割自己的韭菜",
    "ဆရာဝန်က သွေးကြောကို ဖြတ်ပြီး ခွဲစိတ်တယ်",
    "ស្ពាននេះជាផ្លូវតែមួយគត់ទៅភូមិ",
    "ဒီတံတားက မြစ်ကိုဖြတ်ဖို့ တစ်ခုတည်းသော လမ်းပဲ",
    "यो पुल घर जाने एउटै बाटो हो",
    "jalan ini satu-satunya jalan ke desa",
    "xi ge wan",
    "wo qu xi wan, ni qu xi ge wan",
    "ប្រាប់ម៉ាក់ថាកូនសុំទោស សារចុងក្រោយមុនឡើងយន្តហោះ",
]


@pytest.mark.parametrize("text", CRIES)
def test_a_wish_to_die_or_self_harm_is_suicidal(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)
    decision = triage(text)
    assert decision.distress or decision.check_in


@pytest.mark.parametrize("text", EVERYDAY)
def test_the_everyday_use_of_the_same_words_is_no_self_harm_signal(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text)

"""Deadpan hints of suicide that raised no signal (issue #14, session 18, heights18): a person at
a height or by deep water who describes it flatly ("sat on the roof an hour, below looks quiet",
"on the bridge looking down, the water is so dark", "not that scary from up here"), and sleeping
pills hoarded ("saved up almost enough", "been collecting them for weeks"). Released probes
(sp9, wp3) showed such cries missed in every language, romanised and code-switched forms too.
They are SUICIDAL now; each pattern is anchored so the everyday use of the same words (a rooftop
bar, a view, a sunset, fireworks, a repair, a drone, fishing, a swim, a bridge on the way home,
pills for a flight, jet lag, a prescription, vitamins, a pharmacy, collecting stamps) stays
quiet. The texts below are new wording, not the training rows. A SUICIDAL-only message both
stages read as hyperbole gets a check-in, so the cries are asserted as answered (distress or
check-in), never silent."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

CRIES = [
    # en: at a height, flat
    "sitting on the rooftop for an hour now. it doesnt look that scary from here",
    "standing on the bridge again. the water is so dark tonight",
    "been up on the ledge a while. below looks so quiet",
    "im on the roof of block D. how high it is",
    "looking down from the roof for a long time. nobody would even notice",
    "i stand at the window on the 8th floor every night and look down",
    # en: pills hoarded
    "i have saved up enough sleeping pills now",
    "been collecting pills for weeks",
    "kept the tablets they give me, 25 now",
    "almost enough pills saved. soon",
    # id
    "lagi duduk di atap dari tadi, di bawah sana sepi banget",
    "di jembatan sekarang, airnya gelap banget",
    "berdiri di pinggir sungai, airnya deres",
    "tiap malem liatin jendela lantai 7, di bawah sana kayaknya lebih tenang",
    "obat tidur dari mandor udh aku kumpulin sebulan ini",
    "obat tidur aku simpen terus, udh 25 butir",
    # th
    "นั่งบนดาดฟ้ามาสักพักแล้ว มองลงไปข้างล่าง",
    "ยืนอยู่บนสะพาน น้ำข้างล่างมืดมาก",
    "yuen yu bon dadfa mong long pai",
    "แอบเก็บยานอนหลับไว้ได้เกือบครบแล้ว",
    "เก็บยาไว้ได้ 25 เม็ดแล้ว",
    "kep ya non lab wai dai lai laew",
    "ตึกนี้ชั้น 6 หน้าต่างไม่มีลูกกรง",
    # lo
    "ຢູ່ເທິງດາດຟ້າ ເບິ່ງລົງໄປຂ້າງລຸ່ມ",
    "ນັ່ງເບິ່ງນ້ຳຂອງມາດົນແລ້ວ",
    "yeun beung nam khong don laew",
    "ເກັບຢານອນໄວ້ເກືອບພໍແລ້ວ",
    "ຢານອນຫຼັບທີ່ໄດ້ມາ ຂ້ອຍເກັບໄວ້ຫຼາຍແລ້ວ",
    "ເກັບຢາໄວ້ໄດ້ 25 ເມັດ",
    "kep ya non wai lai laew",
    # vi
    "em đang đứng trên cầu nhìn xuống, nước sông tối quá",
    "ngồi trên sân thượng lâu lắm rồi, cũng không đáng sợ lắm",
    "tối nào em cũng đứng ở cửa sổ nhìn xuống",
    "phòng tầng 8, cửa sổ ko có song",
    "em gom được gần 40 viên thuốc rồi",
    "gom thuoc ngu dc may vi roi",
    "em vẫn đang gom thuốc ngủ",
    "đã để dành đủ thuốc",
    # tl
    "nasa tulay ako, ang dilim ng tubig",
    "nandito ako sa rooftop, di naman nakakatakot",
    "naiipon ko na yung pampatulog nila",
    "nakaipon na ako ng mga gamot",
    # zh
    "坐在天台上往下看，也没那么高",
    "站在桥上，江水好黑",
    "一个人在楼顶，下面好安静",
    "这几天一直站在天台上",
    "这里九楼的窗户没有护栏",
    "安眠药我偷偷攒了二十多片了",
    "zai tiantai shang wang xia kan",
    "an mian yao zan le bu shao",
    "cun le hen duo yao",
    "chuang hu mei you tie lan",
    # my
    "ခေါင်မိုးပေါ်ထိုင်ပြီး အောက်ကိုငုံ့ကြည့်နေတယ်",
    "myit kann mhar htine nay tal, khon cha lite yin",
    "အိပ်ဆေးတွေ သိမ်းထားတာ အများကြီးရနေပြီ",
    "အိပ်ဆေး ၂၅ လုံး စုထားပြီ",
    "eik say twe su htar pyi",
    # km
    "ខ្ញុំនៅលើដំបូល មើលចុះក្រោម",
    "ឈរមើលទន្លេយូរហើយ",
    "chhor merl tonle yur hz",
    "ខ្ញុំសន្សំថ្នាំងងុយដេកបានច្រើនហើយ",
    "ថ្នាំដែលគេឲ្យ ខ្ញុំប្រមូលបានច្រើន",
    "knhom sansom thnam dek",
    "tuk thnam dek ban 25 krob",
    "បង្អួចជាន់ទី៧ អត់មានដែកបាំង",
    # ne
    "छतमा बसेर तल हेर्दै छु",
    "पुलमा उभिएर तल हेर्दै छु, पानी एकदम अँध्यारो",
    "chhat ma basera tala herdai chu",
    "निद्रा लाग्ने चक्की लुकाएर जम्मा गर्दैछु",
    "चक्की थोरै थोरै गरेर जम्मा गरें",
    "sutne chakki jamma gardai chu",
    "goli haru jamma gareko chu",
]

EVERYDAY = [
    # en: heights, everyday
    "sitting on the rooftop bar for an hour now, the view is amazing",
    "standing on the bridge for a while, traffic is not moving",
    "been on the roof for two hours fixing the antenna",
    "im on the roof taking photos of the sunset. how high it is",
    "looking down from the balcony for a while, fireworks are starting",
    "on the bridge fishing, the water is so dark today",
    "flying the drone off the rooftop, its not that high",
    "i stand at the window on the 8th floor every night to smoke",
    # en: pills, everyday
    "saved up enough sleeping pills for the long flight",
    "been collecting pills for weeks for my grandma's pill organizer",
    "kept the vitamins and tablets, 25 now, doctor said take one a day",
    "got enough meds from the pharmacy to last the trip",
    "collecting stamps for weeks, got enough now",
    # id
    "duduk di atap dari tadi liat sunset, di bawah sana sepi banget",
    "di jembatan macet, airnya gelap banget habis hujan",
    "berdiri lama di pinggir sungai sambil mancing",
    "obat tidur buat perjalanan naik pesawat udah aku kumpulin",
    "obat tidur dari dokter aku simpen terus, resep 25 butir",
    # th
    "นั่งบนดาดฟ้ามาสักพักแล้ว ถ่ายรูปพระอาทิตย์ตก",
    "ยืนอยู่บนสะพานรถติดมาก",
    "เก็บยานอนหลับไว้ได้หลายเม็ด ไว้กินบนเครื่องบิน",
    "เก็บยาไว้ได้ 25 เม็ด หมอสั่ง",
    "ห้องชั้น 8 หน้าต่างไม่มีเหล็กดัด กลัวแมวตก",
    "หน้าต่างชั้น 9 เปิดได้ ลมเข้าดี",
    # lo
    "ຢູ່ເທິງດາດຟ້າ ຖ່າຍຮູບວິວ ເບິ່ງລົງໄປສວຍຫຼາຍ",
    "ນັ່ງເບິ່ງນ້ຳຂອງມາດົນແລ້ວ ຫາປາບໍ່ໄດ້ຈັກໂຕ",
    "ເກັບຢານອນໄວ້ພໍແລ້ວ ສຳລັບຂຶ້ນຍົນ",
    # vi
    "đang đứng trên cầu nhìn xuống chụp ảnh hoàng hôn",
    "ngồi trên sân thượng lâu lắm rồi, ngắm pháo hoa",
    "đang ở câu lạc bộ nhìn xuống sân",
    "nhà tầng 8, cửa sổ không có song, sợ trẻ con leo",
    "gom được mấy vỉ thuốc cảm cúm cho cả nhà rồi",
    "mua đủ thuốc ngủ cho chuyến bay, để dành được mấy viên rồi",
    # tl
    "nasa tulay ako, traffic, ang tagal",
    "nandito ako sa rooftop, ang ganda ng view at fireworks",
    "naiipon ko na yung vitamins na reseta ng doktor",
    # zh
    "坐在天台上往下看夜景，真好看",
    "站在桥上钓鱼，江水好黑",
    "在楼顶待了一个下午修天线",
    "天天坐在天台上晒太阳",
    "八楼窗户没有护栏，孩子在家不安全",
    "安眠药攒了几片，出国倒时差用",
    "zai tiantai shang wang xia kan yan hua",
    "yao cun le hen duo qian cai mai che",
    # my
    "ခေါင်မိုးပေါ်ထိုင်ပြီး နေဝင်ချိန် ဓာတ်ပုံရိုက်နေတယ်",
    "eik say twe bel mhar thein htar ya ma lel",
    "အိပ်ဆေး ၂၅ လုံး စုထားပြီ လေယာဉ်ပေါ်မှာ သောက်ဖို့",
    # km
    "ខ្ញុំនៅលើដំបូល មើលចុះក្រោម ថតរូបទេសភាព",
    "ឈរមើលទន្លេយូរហើយ ស្ទូចត្រីមិនបាន",
    "ខ្ញុំសន្សំថ្នាំងងុយដេកបានច្រើនហើយ សម្រាប់ជិះយន្តហោះ",
    "បង្អួចជាន់ទី៨ គ្មានដែកបាំងទេ ខ្លាចកូនធ្លាក់",
    "ថ្នាំលាបជញ្ជាំងសល់ ទុកបានច្រើន",
    # ne
    "छतमा बसेर तल हेर्दै छु, चङ्गा उडाउँदै",
    "पुलमा धेरै बेरदेखि उभिएको छु, जाम छ",
    "निद्रा लाग्ने चक्की जम्मा गरेको छु, उडानको लागि",
    "chakki jamma gareko chu, doctor le diyeko",
    # a while on a roof or a bridge, said of an everyday thing
    "sitting on the balcony for an hour with my coffee",
    "sat on the roof for an hour with the kids watching planes",
    "been on the rooftop for a while, so quiet up here, love this city skyline",
    "sitting on the bridge railing for a while, the river is so calm",
    "saving pills for my mum, she keeps forgetting, a whole box now",
    "kept my meds tonight, forgot to take them",
    "di jembatan lama banget nunggu ojek",
    "obat tidur aku simpen terus di laci, udah banyak",
    "นั่งบนดาดฟ้ามาชั่วโมงนึงแล้ว ลมเย็นสบาย",
    "đứng trên cầu lâu lắm rồi chờ xe buýt",
    "nasa tulay ako ngayon, ang tagal ng jeep",
    "在天台上待了好久，聊天",
    "站在阳台上往下看，楼下在办婚礼",
    "ခေါင်မိုးပေါ်မှာ တစ်နာရီလောက် ထိုင်နေတယ်",
    "ស្ពាននេះខ្ពស់ណាស់",
    "पुलमा धेरै बेरदेखि बस कुरिरहेको छु",
    "छतमा बसेर तल हेर्दै छु, बिहेको जन्ती आउँदैछ",
]


@pytest.mark.parametrize("text", CRIES)
def test_a_flat_height_or_hoarded_pills_is_a_wish_to_die(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)
    decision = triage(text)
    assert decision.distress or decision.check_in


@pytest.mark.parametrize("text", EVERYDAY)
def test_the_everyday_use_is_no_self_harm_signal(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text)

"""Session 18 (audit18b): everyday texts in Chinese, Vietnamese, Thai, Khmer and Lao that a bare
VIOLENCE pattern (severity "emergency", standalone) turned into the emergency card — the winter
sun, a heatwave, a teacher making a pupil stand, a shop assistant on her feet all day, a cut
finger, a nosebleed, a power cut, a film plot, a childhood smack, a diet, a fast before
surgery, a child's sweets — and cries with the same words that must stay emergencies (issue
#14). The texts are written for these tests. The hunger rules do not veto illness words (a
doctor, a fever): a cry that names a fever, no doctor and one meal a day keeps its hunger
signal, so "not eaten for two days, I have a fever" stays an emergency (known, not wanted)."""

from __future__ import annotations

import pytest

from bot.engines.triage import triage
from tests.helpers import signal_severity

EVERYDAY = [
    # Chinese: sun, weather, school, a parent, shop work, cooking, health, sport, films, games
    "冬天晒太阳好舒服",
    "今天暴晒，出门记得防晒",
    "小时候被老师罚站过好几次",
    "儿子上课说话被老师罚站了",
    "衣服拿出去晒太阳了",
    "我在商场当导购，每天站一整天腿好酸",
    "周末带孩子去公园晒太阳",
    "切菜的时候不小心切到手指流血了",
    "鼻子流血了，可能是天气太干",
    "牙龈流血怎么办",
    "我怕他在我饮料里下药，开玩笑的",
    "这部电影里反派给主角下药",
    "我家停电了，整个屋子黑屋一样",
    "蹲几个小时钓鱼，一条都没钓到",
    "站几个小时排队买演唱会门票",
    "女儿不听话，我让她罚站十分钟",
    "小黑屋是狼人杀里的规则",
    "妈妈说再考不好就罚跪",
    "今天晒太阳了吗",
    "天天暴晒，西瓜都熟了",
    "打篮球摔倒膝盖流血了",
    "被狗咬了流血了",
    "月经流血量很大正常吗",
    "蹲一整天坑位，拉肚子了",
    # Vietnamese (with and without diacritics)
    "Con tôi bị cô giáo phạt đứng ở lớp",
    "Tôi đứng cả ngày ở cửa hàng, mỏi chân quá",
    "Bị đứt tay chảy máu khi nấu ăn",
    "Mũi chảy máu do trời hanh khô",
    "Phòng tối om vì mất điện",
    "Bị phạt quỳ hồi nhỏ vì không học bài",
    "Đứng mấy tiếng xếp hàng mua vé",
    "con bi co giao phat dung",
    "dung ca ngay o cua hang moi chan",
    "bi dut tay chay mau khi nau an",
    "phong toi om vi mat dien",
    "đói quá, chưa ăn sáng",
    "doi qua, chua an sang",
    "Đá bóng bị ngã chảy máu đầu gối",
    "Mẹ đánh con vì không làm bài tập",
    "bố đánh tôi hồi nhỏ vì trốn học",
    # Thai
    "ลูกโดนครูทำโทษให้ยืนหน้าห้อง",
    "ยืนทั้งวันที่ร้าน ขาปวดมาก",
    "หั่นผักแล้วมีดบาดมือเลือดออก",
    "ห้องมืดเพราะไฟดับ",
    "เตะบอลล้ม เข่าเลือดออก",
    "นั่งคุกเข่าทั้งวันทำบุญที่วัด",
    # Khmer (script and romanised)
    "ថ្ងៃនេះក្តៅណាស់ ហាលថ្ងៃពេញមួយថ្ងៃ",
    "កូនខ្ញុំត្រូវគ្រូដាក់ទោសឱ្យឈរ",
    "ខ្ញុំឈរពេញមួយថ្ងៃនៅហាង ឈឺជើងណាស់",
    "កាត់បន្លែមុតដៃហូរឈាម",
    "បន្ទប់ងងឹតព្រោះដាច់ភ្លើង",
    "ម្ដាយវាយខ្ញុំកាលនៅតូច",
    "mday vay knhom kal nov toch",
    # Lao
    "ມື້ນີ້ແດດຮ້ອນຫຼາຍ ຕາກແດດໝົດມື້",
    "ລູກຖືກຄູລົງໂທດໃຫ້ຢືນ",
    "ຢືນໝົດມື້ຢູ່ຮ້ານ ເມື່ອຍຂາ",
    "ມີດບາດມືເລືອດອອກ",
    "ຫ້ອງມືດເພາະໄຟດັບ",
    "ແມ່ຕີຂ້ອຍຕອນນ້ອຍ",
    # meals: a diet, a fast before surgery or an endoscopy, a child's sweets, a busy day, a cold
    "今天不让吃饭，因为要做胃镜",
    "减肥一天只吃一顿",
    "三天没吃饭了，感冒没胃口",
    "减肥只喝水",
    "妈妈不给吃零食",
    "Bác sĩ không cho ăn trước khi mổ",
    "giảm cân một ngày ăn một bữa",
    "chưa ăn gì cả ngày vì bận họp",
    "mẹ không cho ăn kẹo vì sâu răng",
    "หิวจะตาย ไปกินข้าวกัน",
    "หมอไม่ให้กินก่อนผ่าตัด",
    "ลดน้ำหนัก กินวันละมื้อ",
    "ลูกหิวจนร้องไห้",
    "แม่ไม่ให้กินขนมเพราะฟันผุ",
    "ឃ្លានស្លាប់ហើយ ទៅញ៉ាំបាយ",
    "តមអាហារ ញ៉ាំតែមួយពេល",
    "ម្ដាយមិនឲ្យញ៉ាំស្ករគ្រាប់",
    "ຫິວຈະຕາຍ ໄປກິນເຂົ້າ",
    "ຫຼຸດນ້ຳໜັກ ກິນມື້ລະຄາບ",
    "ໝໍບໍ່ໃຫ້ກິນກ່ອນຜ່າຕັດ",
    "ຍັງບໍ່ໄດ້ກິນເຂົ້າເລີຍມື້ນີ້ ວຽກຫຼາຍ",
    "ບໍ່ໃຫ້ກິນເຂົ້າໜົມ ເພາະແຂ້ວເປື່ອຍ",
]

CRIES = [
    "业绩不够就罚我们在太阳底下站一整天",
    "因为顶嘴被关进黑屋三天",
    "完不成就罚站挨打，求求你们报警",
    "被打到耳朵流血，拜托帮我联络",
    "他们在饭里给我下药",
    "老板罚我们跪一整夜",
    "主管让我们在太阳底下暴晒",
    "老板把我关小黑屋了",
    "ไม่ถึงยอดโดนหัวหน้าลงโทษให้ยืนตากแดดทั้งวัน",
    "โดนซ้อมจนเลือดออก",
    "โดนสั่งให้คุกเข่าทั้งคืน",
    "គេវាយខ្ញុំហូរឈាម",
    "ថៅកែបង្ខំឲ្យឈរហាលថ្ងៃពេញមួយថ្ងៃ",
    "គេដាក់ខ្ញុំក្នុងបន្ទប់ងងឹតបីថ្ងៃ",
    "គេដាក់ទោសយើងព្រោះមិនគ្រប់ target",
    "ເຂົາຕີຂ້ອຍຈົນເລືອດອອກ",
    "ນາຍໃຫ້ຢືນຕາກແດດໝົດມື້",
    "ຖືກຫົວໜ້າລົງໂທດເພາະບໍ່ໄດ້ຍອດ",
    "bi danh chay mau",
    "khong dat chi tieu bi phat dung phoi nang ca ngay",
    "bi nhot trong phong toi om 3 ngay",
    "doi qua, 3 ngay chua duoc an",
    "Tôi bị quản lý đánh chảy máu đầu",
    "老板不给饭吃，三天了",
    "一天只给一顿饭",
    "只给喝水",
    "ไม่ถึงยอดหัวหน้าไม่ให้กินข้าว",
    "วันละมื้อเดียว หิวจนจะเป็นลม",
    "ไม่ได้กินข้าวมา 3 วันแล้ว",
    "ນາຍບໍ່ໃຫ້ກິນເຂົ້າ",
    "ມື້ລະຄາບດຽວ ຫິວຈົນເປັນລົມ",
    "khong cho an 3 ngay roi",
    "moi ngay chi cho an mot bua",
    "ba ngay khong an gi",
    "គេមិនឲ្យញ៉ាំបាយ",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_text_is_no_emergency(text: str) -> None:
    assert signal_severity(text) != "emergency"


@pytest.mark.parametrize("text", CRIES)
def test_a_cry_with_the_same_words_stays_an_emergency(text: str) -> None:
    assert triage(text).severity == "emergency"

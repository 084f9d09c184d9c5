"""Short, indirect cries that fired no signal before session 12 (released batches 25-28 and the
short-cry probes): saving pills, giving things away, "tell mum I'm sorry" with "I can't go on",
a fine or no food for a missed target, the passport kept, locked in from outside, sold to another
company, gravely ill and refused a doctor, ransom, death threats to the family. Khmer, Lao and
Nepali first, script and romanised. The wording differs from the labelled rows, so a pattern that
only lists a training sentence fails here; the everyday texts use the same words and must stay
quiet."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

#: (text, signal that must fire): violence, self-harm hints, hunger as punishment, a sale, ransom
#: and a gravely ill person refused care are emergencies whatever the models say.
EMERGENCIES = [
    ("keeping the pills they hand out, nearly enough now", "SUICIDAL"),
    ("ថ្នាំដែលគេឲ្យ ខ្ញុំទុកបានច្រើនណាស់ហើយ", "SUICIDAL"),
    # review15: a bare "kept many pills" is also medicine for kids; the cry names sleeping pills.
    ("knhom tuk thnam dek ban chroen hz", "SUICIDAL"),
    # review15: "tell mum I'm sorry" alone is an apology; the cry cannot endure any more.
    ("ប្រាប់ម៉ាក់ផង ថាកូនសុំទោស កូនទ្រាំលែងបានហើយ", "SUICIDAL"),
    ("kep ya non wai lai met laew", "SUICIDAL"),
    ("ເຄື່ອງຂອງຂ້ອຍແຈກໝູ່ໝົດແລ້ວ ບໍ່ຕ້ອງໃຊ້ແລ້ວ", "SUICIDAL"),
    ("sutne goli jamma gardai chu dai", "SUICIDAL"),
    ("ama lai sorry bhanidinu, ma aba sakdina", "SUICIDAL"),
    ("药已经攒够了", "SUICIDAL"),
    ("跟妈妈说对不起，我撑不住了", "SUICIDAL"),
    ("em dang gom thuoc ngu tung vien", "SUICIDAL"),
    ("เก็บยานอนหลับไว้ได้ 15 เม็ดแล้ว", "SUICIDAL"),
    ("nag iipon ako ng sleeping pills", "SUICIDAL"),
    ("baju sama hp udah kukasih ke temen, aku ga butuh lagi", "SUICIDAL"),
    ("ថ្ងៃនេះអត់បានបាយ ព្រោះមិនបាន target", "FOOD_DENIED"),
    # review15: "didn't eat" is also a busy vendor; the cry is not allowed to eat.
    ("ບໍ່ໄດ້ຍອດ ເຂົາບໍ່ໃຫ້ກິນເຂົ້າ", "FOOD_DENIED"),
    ("bo dai kin khao 2 mue laew, khao wa long tod", "FOOD_DENIED"),
    ("mei chi fan, shuo yeji tai cha", "FOOD_DENIED"),
    ("mai dai kin khao loei, yod mai theung", "FOOD_DENIED"),
    ("3 yet shi pyi htamin ma kywe bu", "FOOD_DENIED"),
    ("wala kaming kain 3 araw na", "FOOD_DENIED"),
    ("no food today bc we missed quota", "FOOD_DENIED"),
    ("ke chhok phleung knhom mdong teat", "VIOLENCE"),
    ("hua na ti khoy thuk mue", "VIOLENCE"),
    ("shock fai tae khaeng khoy", "VIOLENCE"),
    ("kutdai chan malai aile", "VIOLENCE"),
    ("मलाई कुट्दैछन्", "VIOLENCE"),
    ("supervisor le current dinchan", "VIOLENCE"),
    ("zuzhang na dianbang da wo", "VIOLENCE"),
    ("team leader ka dat sit nae hteik tal", "VIOLENCE"),
    ("室友吐血三天了，主管不让去医院", "IMMEDIATE_DANGER"),
    ("kasama ko inuubo ng dugo, ayaw siyang dalhin sa ospital", "IMMEDIATE_DANGER"),
    ("ພວກເຂົາໃຫ້ແມ່ໂອນເງິນ 3000 ໂດລາ ຈຶ່ງຊິປ່ອຍ", "IMMEDIATE_DANGER"),
    ("tamen shuo bao jing jiu sha le wo quan jia", "IMMEDIATE_DANGER"),
    ("老板说谁不出单就是下一个", "IMMEDIATE_DANGER"),
    ("परिवार सिध्याइदिन्छौं भन्छन्", "IMMEDIATE_DANGER"),
    ("malai arko company ma bechdiyo re", "SOLD"),
    ("ຂາຍພວກເຮົາໃຫ້ບໍລິສັດໃໝ່ແລ້ວ", "SOLD"),
    ("thaokae lok yerng tov poipet", "SOLD"),
    ("我被卖了", "SOLD"),
    ("ខ្ញុំត្រូវគេលក់", "SOLD"),
    ("ເຂົາຂາຍຂ້ອຍ", "SOLD"),
    ("bolisat ti khoy", "VIOLENCE"),
]

URGENT = [
    # review15: "will sell" is a threat (urgent), and a person is sold, not a shop.
    ("bholi hamilai arko company lai bechdai chan", "THREAT_OF_SALE"),
    ("ខែនេះ salary កាត់អស់ ព្រោះមិនគ្រប់ target", "DEBT_BONDAGE"),
    ("thuk tat ngern mot pho bo hod target", "DEBT_BONDAGE"),
    ("target पुगेन भनेर तलब काटियो", "DEBT_BONDAGE"),
    ("业绩没达标，工资全扣了", "DEBT_BONDAGE"),
    ("they docked my pay because i missed the target", "DEBT_BONDAGE"),
    ("gongsi yao 5 wan cai fang wo zou", "DEBT_BONDAGE"),
    ("passport knhom ke yok tuk, min oy vinh", "DOCUMENTS_TAKEN"),
    ("passport khoy nai ao pai keb wai", "DOCUMENTS_TAKEN"),
    ("राहदानी कम्पनीले खोस्यो", "DOCUMENTS_TAKEN"),
    ("passport malik le khosyo", "DOCUMENTS_TAKEN"),
    ("ເຂົາລັອກປະຕູຈາກທາງນອກ", "CONFINEMENT"),
    ("they keep the door locked from outside all day", "CONFINEMENT"),
    ("门被从外面锁了，出不去", "CONFINEMENT"),
    ("gate ma guard cha, niskina paudina", "CONFINEMENT"),
    ("သူတို့က ကျွန်တော့်ကို အခန်းထဲ သော့ခတ်ထားတယ်", "CONFINEMENT"),
    ("ไม่รู้ว่าที่นี่ที่ไหน นั่งเรือมาตอนกลางคืน", "TRAFFICKED"),
    ("di ko alam saan ako, puro gubat", "TRAFFICKED"),
    ("sathi lai jwaro cha, aspatal lana didaina", "DENIED_CARE"),
    ("发烧好几天了，组长不让我去看医生", "DENIED_CARE"),
    ("ປັບເງິນ ເພາະບໍ່ໄດ້ຍອດ", "DEBT_BONDAGE"),
    ("nai pab ngern khoy pho bo dai yod", "DEBT_BONDAGE"),
]

#: Must fire no signal at all: the same words in ordinary traffic.
QUIET = [
    "tell mum im sorry i missed her call, i was at the gym",
    "they took half my salary for tax this month, crazy",
    "i kept the pills the doctor gave me for my back pain",
    "ฝากบอกแม่ว่าขอโทษนะที่ไม่ได้โทรกลับ",
    "เก็บยาไว้ได้เยอะแล้ว เผื่อหน้าหนาวลูกไม่สบาย",
    "เดือนนี้ยอดขายไม่ถึง target โบนัสเลยไม่ได้",
    "ไม่รู้ว่าที่นี่ที่ไหน สวยมาก นั่งรถมาจากเชียงใหม่",
    "ลืมกุญแจ ประตูล็อกจากข้างนอกไม่ได้",
    "mai dai kin khao tiang wan nee pror yung mak, yod khai dee",
    "em gom đủ thuốc cảm cho cả nhà rồi nhé",
    "noi voi me con xin loi vi ve tre nhe",
    "thuốc ngủ bác sĩ kê, em uống từng viên một thôi",
    "không biết đây là đâu nữa, đẹp quá, đi xe máy qua rừng thông",
    "baju lama udah aku kasih ke adik, aku ga butuh lagi karena udah kekecilan",
    "kunci pintu dari luar ya kalau berangkat",
    "potong gaji karena telat, kata HRD",
    "obat flu sudah aku kumpulkan di kotak P3K",
    "mama bilang maaf ga bisa datang",
    "药存够了，下周再去医院拿",
    "这个月没达标，工资扣了一点绩效",
    "出门记得从外面锁门",
    "发烧了不让去上学，在家休息",
    "wo de dongxi dou gei ni le, ni kan yi xia",
    "wala kaming kain sa bahay, order na lang tayo 2 days ago pa",
    "nag iipon ako ng pera para sa gamot ni lola",
    "di ko alam saan ako pupunta bukas, mall ba o beach",
    "pakisabi kay nanay sorry late ako uuwi",
    "kinaltasan ako ng tax ngayong buwan",
    "ဆေးလုံးတွေ စုထားတယ် ခရီးသွားဖို့",
    "htamin ma kywe bu ma nay ka, restaurant pate nay tal",
    "target ma pyae lo bonus ma ya bu",
    "အမေ့ကို sorry လို့ ပြောပေးပါ နောက်ကျမယ်",
    "ខ្ញុំទុកថ្នាំច្រើន សម្រាប់ធ្វើដំណើរ",
    "ប្រាប់ម៉ែផងថាកូនសុំទោសដែលមកយឺត",
    "ខែនេះ salary កាត់ពន្ធបន្តិច",
    "អត់បានញ៉ាំបាយទេ ព្រោះរវល់ពេក",
    "passport knhom ke yok tuk somrab visa, thngai saok ban vinh",
    "ເກັບຢາໄວ້ຫຼາຍ ສຳລັບເດີນທາງ",
    "bok mae dae wa luk kho thot, mue ni ma sa",
    "ເຄື່ອງຂອງຂ້ອຍແຈກໝູ່ໝົດແລ້ວ ຍ້າຍເຮືອນໃໝ່ ບໍ່ຕ້ອງໃຊ້ອີກ",
    "ລັອກປະຕູຈາກທາງນອກແດ່ ເວລາອອກໄປ",
    "bo dai kin khao laeng pho mua het viak target",
    "passport khoy ao pai keb wai nai tu sefe",
    "aama lai sorry bhanidinu, aaja ghar aauna sakina",
    "औषधि जम्मा गरेर राख्नुहोस्, जाडोमा चाहिन्छ",
    "target पुगेन, तलब काटिएन तर बोनस आएन",
    "passport company le rakheko chha visa ko lagi, bholi dinchha",
    "arko company ma kaam khojdai chu",
    "बाहिरबाट ताल्चा लगाएर जानु",
    "knhom kompung veay aksar, cham bantich",
    "ke kompung vay kon bal nov sala",
    "knhom chhak phleung chol bantob hz, tov deik",
    "bong lok knhom tov phsar phong",
    "kamlang ti bal yu sanam",
    "fai sot laew, bo mi fai tang ban",
    "pit pratu hong mued laew non",
    "kamlang top mue hai nak hong",
    "ghar ma naya current line lagayo",
    "aaja ghar bata niskina paudina, pani paryo",
    "aspatal lana didaina bhane ma afai janchu, taxi bolau",
    "लाठी लिएर गाईहरू धपाउन आउँदै छन्",
    "គាត់កាន់ឈើមកផ្ទះហើយ សម្រាប់ធ្វើរបង",
    "ຂາຍເຄື່ອງໃຫ້ບໍລິສັດໃໝ່ ໄດ້ລາຄາດີ",
    "bolisat mai sue pai laew, hun khun",
    "主管不让我去看医生那个会议，改天吧",
    "老板不让我们去医院那边停车",
    "bao jing le ma? sha shi",
    "hua na top na bai wai tee talad",
    "passport yued ayu laew tong tor",
    "ขอไปหาหมอฟันพรุ่งนี้ หัวหน้าไม่ให้ลา เลยไปวันเสาร์",
    "ลูกคุณอยู่กับเราที่โรงเรียนแล้วค่ะ มารับได้ตอนบ่าย",
    "boss ka phone yu thwar p meeting lote nay lo",
    "nout company ko yaung lite pyi, a sit ka pyaw tal",
    "ma sar ya bu nay tha, target pyi aung lote ya mal",
    "သူ အခန်းကို သော့ခတ်ထားတယ် ခရီးထွက်သွားလို့",
    "gate pate htar lo room ka a pyin ma htwet ya bu, mo ywar lo",
    "the pills are nearly enough for the trip, buy one more pack",
    "my manager docked my pay because i was late, fair enough",
    "我被队友卖了，这把输了",
    "hua na tee bal hai nong",
]


@pytest.mark.parametrize(("text", "signal"), EMERGENCIES)
def test_a_short_indirect_emergency_is_an_emergency(text: str, signal: str) -> None:
    assert signal in match_signals(text)
    result = triage(text)
    assert result.distress and result.severity == "emergency"


@pytest.mark.parametrize(("text", "signal"), URGENT)
def test_a_short_indirect_cry_has_its_signal(text: str, signal: str) -> None:
    assert signal in match_signals(text)


@pytest.mark.parametrize("text", QUIET)
def test_the_same_words_in_ordinary_traffic_fire_no_signal(text: str) -> None:
    assert match_signals(text) == []

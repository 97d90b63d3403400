//! The official lists a declaration chooses from (danh mục): the 54 ethnic
//! groups of Vietnam (dân tộc) and the religions the State recognises (tôn
//! giáo), each entry with its code, its Vietnamese name as written on the
//! card, an English name, and the other spellings people type, so that a
//! form offers the list and an importer or an old draft still finds its
//! entry ([`ethnic_group`], [`religion`]: case, diacritics, hyphens,
//! apostrophes and spaces do not matter).
//!
//! Sources:
//! - Ethnic groups: *Danh mục các thành phần dân tộc Việt Nam*, issued with
//!   Decision 121-TCTK/PPCĐ of the General Statistics Office, 2 March 1979
//!   (codes 01–54 in that order); names written as the GSO writes them in
//!   the 2019 Population and Housing Census tables (Khmer, Mông, Ê Đê …),
//!   the older spellings of the decision kept as aliases (Khơ-me, HMông …).
//! - Religions: the 16 religions whose organisations are recognised or
//!   registered by the State, as listed by the Government Committee for
//!   Religious Affairs (Ban Tôn giáo Chính phủ, Ministry of Home Affairs;
//!   list of religious organisations in Official Letter 6955/BNV-TGCP,
//!   28 December 2020), with "Không" (none) first, as the form asks.
//!
//! A new recognised religion is one more entry here (and a test count).

use crate::text::search_key;

/// One entry of an official list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListEntry {
    /// The code in the list (`01`–`54` for ethnic groups, `00`–`16` for
    /// religions, `00` being none).
    pub code: &'static str,
    /// The name as written on the card and in the records.
    pub vi: &'static str,
    /// A name for English pages.
    pub en: &'static str,
    /// Other spellings and older names that mean this entry.
    pub aliases: &'static [&'static str],
}

macro_rules! entry {
    ($code:literal, $vi:literal, $en:literal $(, $alias:literal)*) => {
        ListEntry { code: $code, vi: $vi, en: $en, aliases: &[$($alias),*] }
    };
}

/// The 54 ethnic groups, in the order and with the codes of Decision
/// 121-TCTK/PPCĐ.
pub const ETHNIC_GROUPS: &[ListEntry] = &[
    entry!("01", "Kinh", "Kinh (Viet)", "Việt", "Kinh (Việt)"),
    entry!("02", "Tày", "Tay"),
    entry!("03", "Thái", "Thai"),
    entry!("04", "Hoa", "Hoa (Han Chinese)", "Hán", "Hoa (Hán)"),
    entry!("05", "Khmer", "Khmer", "Khơ-me", "Khơ me", "Khơme"),
    entry!("06", "Mường", "Muong"),
    entry!("07", "Nùng", "Nung"),
    entry!("08", "Mông", "Hmong", "HMông", "H'Mông", "H'mông", "Mèo"),
    entry!("09", "Dao", "Dao"),
    entry!("10", "Gia Rai", "Jarai", "Gia-rai", "Giarai"),
    entry!("11", "Ngái", "Ngai"),
    entry!("12", "Ê Đê", "Ede", "Ê-đê", "Êđê", "Rhade"),
    entry!("13", "Ba Na", "Bahnar", "Ba-na", "Bana"),
    entry!("14", "Xơ Đăng", "Xo Dang", "Xơ-đăng"),
    entry!("15", "Sán Chay", "San Chay", "Cao Lan-Sán Chỉ"),
    entry!("16", "Cơ Ho", "Koho", "Cơ-ho", "K'Ho"),
    entry!("17", "Chăm", "Cham", "Chàm"),
    entry!("18", "Sán Dìu", "San Diu"),
    entry!("19", "Hrê", "Hre"),
    entry!("20", "Mnông", "Mnong", "M'Nông"),
    entry!("21", "Raglay", "Raglai", "Ra-glai", "Ra Glai"),
    entry!("22", "Xtiêng", "Stieng", "X'tiêng"),
    entry!("23", "Bru Vân Kiều", "Bru-Van Kieu", "Bru-Vân Kiều"),
    entry!("24", "Thổ", "Tho"),
    entry!("25", "Giáy", "Giay"),
    entry!("26", "Cơ Tu", "Co Tu", "Cơ-tu", "Katu"),
    entry!("27", "Gié Triêng", "Gie Trieng", "Giẻ Triêng", "Giẻ-Triêng"),
    entry!("28", "Mạ", "Ma"),
    entry!("29", "Khơ Mú", "Khmu", "Khơ-mú"),
    entry!("30", "Co", "Co"),
    entry!("31", "Tà Ôi", "Ta Oi", "Tà-ôi", "Pa Kô"),
    entry!("32", "Chơ Ro", "Cho Ro", "Chơ-ro"),
    entry!("33", "Kháng", "Khang"),
    entry!("34", "Xinh Mun", "Xinh Mun", "Xinh-mun"),
    entry!("35", "Hà Nhì", "Ha Nhi"),
    entry!("36", "Chu Ru", "Chu Ru", "Chu-ru"),
    entry!("37", "Lào", "Lao"),
    entry!("38", "La Chí", "La Chi"),
    entry!("39", "La Ha", "La Ha"),
    entry!("40", "Phù Lá", "Phu La"),
    entry!("41", "La Hủ", "La Hu"),
    entry!("42", "Lự", "Lu"),
    entry!("43", "Lô Lô", "Lo Lo"),
    entry!("44", "Chứt", "Chut"),
    entry!("45", "Mảng", "Mang"),
    entry!("46", "Pà Thẻn", "Pa Then"),
    entry!("47", "Cơ Lao", "Co Lao", "Cờ Lao", "Co Lao"),
    entry!("48", "Cống", "Cong"),
    entry!("49", "Bố Y", "Bo Y"),
    entry!("50", "Si La", "Si La"),
    entry!("51", "Pu Péo", "Pu Peo"),
    entry!("52", "Brâu", "Brau"),
    entry!("53", "Ơ Đu", "O Du", "Ơ-đu"),
    entry!("54", "Rơ Măm", "Ro Mam", "Rơ-măm"),
];

/// None, then the 16 religions recognised in Vietnam (Government
/// Committee for Religious Affairs).
pub const RELIGIONS: &[ListEntry] = &[
    entry!("00", "Không", "None", "Không có", "Không theo tôn giáo nào"),
    entry!("01", "Phật giáo", "Buddhism", "Đạo Phật"),
    entry!(
        "02",
        "Công giáo",
        "Catholicism",
        "Thiên Chúa giáo",
        "Đạo Thiên Chúa"
    ),
    entry!("03", "Tin lành", "Protestantism", "Đạo Tin lành"),
    entry!("04", "Cao Đài", "Caodaism", "Đạo Cao Đài"),
    entry!(
        "05",
        "Phật giáo Hòa Hảo",
        "Hoa Hao Buddhism",
        "Phật giáo Hoà Hảo",
        "Hòa Hảo"
    ),
    entry!("06", "Hồi giáo", "Islam", "Đạo Hồi"),
    entry!(
        "07",
        "Tôn giáo Baha'i",
        "Baháʼí Faith",
        "Baha'i",
        "Đạo Ba Ha'i"
    ),
    entry!(
        "08",
        "Tịnh độ Cư sĩ Phật hội Việt Nam",
        "Pure Land Buddhist Home Practice Association of Vietnam"
    ),
    entry!(
        "09",
        "Cơ đốc Phục lâm Việt Nam",
        "Seventh-day Adventist Church of Vietnam",
        "Cơ Đốc Phục Lâm"
    ),
    entry!(
        "10",
        "Phật giáo Tứ Ân Hiếu Nghĩa",
        "Tu An Hieu Nghia Buddhism",
        "Đạo Tứ Ân Hiếu Nghĩa",
        "Tứ Ân Hiếu Nghĩa"
    ),
    entry!("11", "Minh Sư đạo", "Minh Su Dao"),
    entry!(
        "12",
        "Minh Lý đạo – Tam Tông Miếu",
        "Minh Ly Dao – Tam Tong Mieu",
        "Minh Lý đạo"
    ),
    entry!(
        "13",
        "Giáo hội Các Thánh hữu Ngày sau của Chúa Giê-su Ky-tô",
        "The Church of Jesus Christ of Latter-day Saints",
        "Mặc Môn",
        "Mormon"
    ),
    entry!("14", "Bửu Sơn Kỳ Hương", "Buu Son Ky Huong"),
    entry!(
        "15",
        "Bà-la-môn giáo",
        "Brahmanism",
        "Bà La Môn",
        "Bà-la-môn"
    ),
    entry!(
        "16",
        "Phật hội Hiếu Nghĩa Tà Lơn",
        "Hieu Nghia Ta Lon Buddhist Association"
    ),
];

/// The key two spellings of one name share: no case, no diacritics, no
/// hyphens, apostrophes or spaces (`H'Mông` and `hmong`, `Ê-đê` and `Ê Đê`).
fn loose_key(s: &str) -> String {
    search_key(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn find(list: &'static [ListEntry], input: &str) -> Option<&'static ListEntry> {
    let key = loose_key(input);
    if key.is_empty() {
        return None;
    }
    list.iter().find(|e| {
        e.code == input.trim()
            || loose_key(e.vi) == key
            || e.aliases.iter().any(|a| loose_key(a) == key)
    })
}

/// The ethnic group `input` names (its code, its name or another spelling
/// of it), if any.
pub fn ethnic_group(input: &str) -> Option<&'static ListEntry> {
    find(ETHNIC_GROUPS, input)
}

/// The religion `input` names (its code, its name or another spelling of
/// it; "Không" for none), if any.
pub fn religion(input: &str) -> Option<&'static ListEntry> {
    find(RELIGIONS, input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_complete_and_their_codes_in_order() {
        assert_eq!(ETHNIC_GROUPS.len(), 54);
        assert_eq!(RELIGIONS.len(), 17, "none and 16 religions");
        for (list, first) in [(ETHNIC_GROUPS, 1), (RELIGIONS, 0)] {
            for (i, e) in list.iter().enumerate() {
                assert_eq!(e.code, format!("{:02}", i + first), "{e:?}");
            }
        }
    }

    #[test]
    fn no_two_entries_share_a_spelling() {
        for list in [ETHNIC_GROUPS, RELIGIONS] {
            let mut seen = std::collections::HashMap::new();
            for e in list {
                let mut keys: Vec<String> = std::iter::once(e.vi)
                    .chain(e.aliases.iter().copied())
                    .map(loose_key)
                    .collect();
                keys.dedup();
                for k in keys {
                    if let Some(other) = seen.insert(k.clone(), e.code) {
                        assert_eq!(other, e.code, "{k:?} names two entries");
                    }
                }
            }
        }
    }

    #[test]
    fn entries_are_found_however_they_are_spelled() {
        for (typed, code) in [
            ("Kinh", "01"),
            ("kinh", "01"),
            ("H'Mông", "08"),
            ("hmong", "08"),
            ("Khơ-me", "05"),
            ("Ê Đê", "12"),
            ("ê-đê", "12"),
            ("54", "54"),
        ] {
            assert_eq!(ethnic_group(typed).map(|e| e.code), Some(code), "{typed}");
        }
        for (typed, code) in [
            ("Không", "00"),
            ("khong", "00"),
            ("Phật giáo", "01"),
            ("Phật giáo Hoà Hảo", "05"),
            ("Thiên Chúa giáo", "02"),
        ] {
            assert_eq!(religion(typed).map(|e| e.code), Some(code), "{typed}");
        }
        for bad in ["", "  ", "Klingon", "99"] {
            assert_eq!(ethnic_group(bad), None, "{bad}");
            assert_eq!(religion(bad), None, "{bad}");
        }
    }
}

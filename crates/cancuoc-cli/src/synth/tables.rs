//! Frequency tables for synthetic citizens (dữ liệu mẫu): family names (họ),
//! middle names (chữ đệm), given names (tên), provinces weighted by
//! population, ethnicities (dân tộc), religions (tôn giáo) and age bands.
//!
//! Every weight is a sampling weight for realistic-looking test data, not a
//! statistic to quote: figures are rounded and approximate. Sources are
//! named beside each table. No real person's data is used.

/// Family names with their approximate share of the population, in parts
/// per thousand (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 % …), after the
/// frequencies commonly cited from Lê Trung Hoa, "Họ và tên người Việt Nam"
/// (2005). The remainder is spread over other common families.
pub const FAMILY_NAMES: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 71),
    ("Hoàng", 30),
    ("Huỳnh", 21),
    ("Phan", 45),
    ("Vũ", 22),
    ("Võ", 17),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 8),
    ("Trương", 8),
    ("Lâm", 6),
    ("Mai", 6),
    ("Trịnh", 6),
    ("Đoàn", 6),
    ("Lương", 5),
    ("Cao", 5),
    ("Hà", 5),
    ("Tạ", 3),
    ("Chu", 3),
    ("Tô", 3),
    ("Quách", 2),
    ("Thái", 2),
];

/// Middle names of men (chữ đệm), weights in percent.
pub const MIDDLE_MALE: &[(&str, u32)] = &[
    ("Văn", 30),
    ("Đức", 9),
    ("Minh", 10),
    ("Quang", 7),
    ("Hữu", 6),
    ("Công", 5),
    ("Thanh", 5),
    ("Xuân", 4),
    ("Ngọc", 4),
    ("Anh", 4),
    ("Hoàng", 4),
    ("Tuấn", 3),
    ("Duy", 3),
    ("Gia", 3),
    ("Trọng", 3),
];

/// Middle names of women, `Thị` excluded (its weight depends on the birth
/// year, see [`thi_percent`]), weights in percent.
pub const MIDDLE_FEMALE: &[(&str, u32)] = &[
    ("Ngọc", 14),
    ("Thu", 10),
    ("Thanh", 10),
    ("Minh", 8),
    ("Phương", 8),
    ("Hồng", 8),
    ("Kim", 7),
    ("Bảo", 7),
    ("Mai", 6),
    ("Khánh", 6),
    ("Thùy", 8),
    ("Hoài", 4),
    ("Diệu", 4),
];

/// Share (percent) of women whose middle name is `Thị`: near universal in
/// older generations, much rarer among girls born since 2000.
pub fn thi_percent(birth_year: i16) -> u32 {
    match birth_year {
        ..1960 => 85,
        1960..1980 => 70,
        1980..2000 => 50,
        _ => 20,
    }
}

/// Given names of men (tên), equal weights.
pub const GIVEN_MALE: &[&str] = &[
    "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng",
    "Hùng", "Huy", "Khang", "Khoa", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
    "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
    "Vinh", "Vũ",
];

/// Given names of women, equal weights.
pub const GIVEN_FEMALE: &[&str] = &[
    "An", "Anh", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
    "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương",
    "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến",
];

/// The 63 provinces (tỉnh, thành phố; before the 2025 merger) with their
/// ID-number codes (Decree 137/2015, `data/id-province-codes.tsv`) and
/// approximate average population in thousands (General Statistics Office,
/// Statistical Yearbook 2023, rounded), used as weights for the place of
/// birth registration.
pub const PROVINCES: &[(u16, u32)] = &[
    (1, 8588),
    (2, 897),
    (4, 547),
    (6, 326),
    (8, 805),
    (10, 772),
    (11, 640),
    (12, 482),
    (14, 1300),
    (15, 847),
    (17, 880),
    (19, 1338),
    (20, 802),
    (22, 1382),
    (24, 1922),
    (25, 1531),
    (26, 1197),
    (27, 1488),
    (30, 1956),
    (31, 2088),
    (33, 1290),
    (34, 1878),
    (35, 878),
    (36, 1888),
    (37, 1010),
    (38, 3722),
    (40, 3442),
    (42, 1323),
    (44, 916),
    (45, 650),
    (46, 1166),
    (48, 1245),
    (49, 1519),
    (51, 1249),
    (52, 1505),
    (54, 877),
    (56, 1253),
    (58, 599),
    (60, 1252),
    (62, 580),
    (64, 1591),
    (66, 1918),
    (67, 670),
    (68, 1333),
    (70, 1025),
    (72, 1190),
    (74, 2763),
    (75, 3310),
    (77, 1187),
    (79, 9456),
    (80, 1734),
    (82, 1790),
    (83, 1300),
    (84, 1019),
    (86, 1029),
    (87, 1600),
    (89, 1906),
    (91, 1761),
    (92, 1258),
    (93, 730),
    (94, 1200),
    (95, 921),
    (96, 1207),
];

/// Ethnic groups (dân tộc) with approximate shares in parts per thousand
/// (2019 Population and Housing Census): Kinh 853, Tày 19, Thái 18 …
pub const ETHNICITIES: &[(&str, u32)] = &[
    ("Kinh", 853),
    ("Tày", 19),
    ("Thái", 18),
    ("Mường", 15),
    ("Hoa", 8),
    ("Khmer", 14),
    ("Nùng", 11),
    ("H'Mông", 14),
    ("Dao", 9),
    ("Gia Rai", 5),
    ("Ê Đê", 4),
    ("Ba Na", 3),
    ("Chăm", 2),
];

/// Religions (tôn giáo) with approximate shares in parts per thousand
/// (2019 Population and Housing Census): most people declare none.
pub const RELIGIONS: &[(&str, u32)] = &[
    ("Không", 863),
    ("Công giáo", 61),
    ("Phật giáo", 48),
    ("Tin lành", 10),
    ("Phật giáo Hòa Hảo", 10),
    ("Cao Đài", 6),
];

/// Age bands (tuổi) with weights in percent, after the 2019 census age
/// pyramid (rounded): (lowest age, highest age, weight).
pub const AGE_BANDS: &[(i16, i16, u32)] = &[
    (0, 13, 21),
    (14, 24, 15),
    (25, 39, 25),
    (40, 59, 26),
    (60, 79, 11),
    (80, 99, 2),
];

/// Street and ward names for synthetic addresses (đường, phường).
pub const STREETS: &[&str] = &[
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Phan Đình Phùng",
    "Điện Biên Phủ",
    "Hùng Vương",
    "Nguyễn Huệ",
    "Lê Duẩn",
    "Bà Triệu",
];

//! Tests of the account module's own types (levels, level methods, OTP
//! purposes) and of the password policy; otp, sms and lockout keep their
//! tests beside their code.

mod levels {
    use crate::account::*;

    #[test]
    fn levels_round_trip_through_number_code_and_json() {
        for level in AccountLevel::ALL {
            assert_eq!(AccountLevel::from_u8(level.as_u8()), Some(level));
            assert_eq!(AccountLevel::parse(level.code()), Some(level));
            let json = serde_json::to_string(&level).expect("serialize");
            assert_eq!(json, level.as_u8().to_string());
            assert_eq!(
                serde_json::from_str::<AccountLevel>(&json).expect("parse"),
                level
            );
        }
        assert_eq!(AccountLevel::One.code(), "level_1");
        assert_eq!(AccountLevel::Two.label_vi(), "Mức độ 2");
        assert_eq!(AccountLevel::Two.label_en(), "Level 2");
        assert_eq!(AccountLevel::from_u8(0), None);
        assert_eq!(AccountLevel::from_u8(3), None);
        assert!(serde_json::from_str::<AccountLevel>("3").is_err());
        assert!(AccountLevel::One < AccountLevel::Two);
    }

    #[test]
    fn methods_and_purposes_have_stable_codes() {
        let methods: Vec<_> = LevelMethod::ALL.iter().map(|m| m.code()).collect();
        assert_eq!(methods, ["portrait", "fingerprints", "card_issuance"]);
        for m in LevelMethod::ALL {
            assert_eq!(LevelMethod::parse(m.code()), Some(m));
            let json = serde_json::to_string(&m).expect("serialize");
            assert_eq!(json, format!("\"{}\"", m.code()));
        }
        let purposes: Vec<_> = OtpPurpose::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(purposes, ["register", "login", "reset", "unlock"]);
        for p in OtpPurpose::ALL {
            assert_eq!(OtpPurpose::parse(p.code()), Some(p));
            let json = serde_json::to_string(&p).expect("serialize");
            assert_eq!(json, format!("\"{}\"", p.code()));
        }
        assert_eq!(LevelMethod::parse("Portrait"), None);
        assert_eq!(OtpPurpose::parse(""), None);
    }
}

mod password {
    use crate::account::password::*;
    use crate::i18n::{Lang, Localized};
    use proptest::prelude::*;

    use PasswordProblem as P;

    /// The shipped blocklist file, read again to check its lines.
    const COMMON_TXT: &str = include_str!("../../data/passwords/common.txt");

    const NOBODY: PersonalData<'static> = PersonalData {
        personal_id: "",
        date_of_birth: None,
        birth_year: None,
        phone: "",
    };

    fn check(password: &str) -> Result<(), Vec<PasswordProblem>> {
        PasswordPolicy::SEED.check(password, &NOBODY)
    }

    #[test]
    fn the_blocklist_parses_and_is_clean() {
        assert!(
            common_passwords().len() >= 500,
            "{} entries",
            common_passwords().len()
        );
        let lines: Vec<&str> = COMMON_TXT
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert_eq!(
            lines.len(),
            common_passwords().len(),
            "no duplicate lines in the file"
        );
        for entry in lines {
            assert_eq!(entry, entry.to_lowercase(), "lower-case: {entry:?}");
            assert!(!entry.contains(char::is_whitespace), "{entry:?}");
        }
        for word in [
            "password", "qwerty", "iloveyou", "matkhau", "anhyeuem", "vneid",
        ] {
            assert!(common_passwords().binary_search(&word).is_ok(), "{word}");
        }
    }

    #[test]
    fn the_seed_example_and_good_passwords_pass() {
        // Seed 002's own example first.
        for good in [
            "Nhoquan@123",
            "Xe3buyt!Dodo",
            "Aa1!Bb2@",             // exactly 8 characters
            "Tr4ng_Tr0n_S4ng_Tr0i", // exactly 20
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn each_rule_alone() {
        let cases: Vec<(&str, Vec<PasswordProblem>)> = vec![
            ("Nh0q@n!", vec![P::TooShort { min: 8, chars: 7 }]),
            (
                "Tr4ng_Tr0n_S4ng_Tr0i!",
                vec![P::TooLong { max: 20, chars: 21 }],
            ),
            ("Nhoquan@abc", vec![P::NoDigit]),
            ("nhoquan@123", vec![P::NoUpper]),
            ("NHOQUAN@123", vec![P::NoLower]),
            (
                "Nhoquan1234",
                vec![P::NoSpecial {
                    specials: "!@#$^*()_",
                }],
            ),
            ("Nhoquan@1 23", vec![P::ForbiddenChar { ch: ' ' }]),
            ("Nhoqu&n@123", vec![P::ForbiddenChar { ch: '&' }]),
            ("Nhoquên@123", vec![P::ForbiddenChar { ch: 'ê' }]),
            (
                "Nhoquan%123",
                vec![
                    P::NoSpecial {
                        specials: "!@#$^*()_",
                    },
                    P::ForbiddenChar { ch: '%' },
                ],
            ),
            ("Password@123", vec![P::Common]),
        ];
        for (password, want) in cases {
            assert_eq!(check(password), Err(want), "{password:?}");
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 8 characters, 12 bytes: the only problem is the diacritic.
        assert_eq!(check("Ab1@êêêê"), Err(vec![P::ForbiddenChar { ch: 'ê' }]));
    }

    #[test]
    fn every_failure_at_once() {
        let none = P::NoSpecial {
            specials: "!@#$^*()_",
        };
        assert_eq!(
            check("abc"),
            Err(vec![
                P::TooShort { min: 8, chars: 3 },
                P::NoDigit,
                P::NoUpper,
                none.clone(),
                P::Common,
            ])
        );
        assert_eq!(
            check("xin chao"),
            Err(vec![
                P::NoDigit,
                P::NoUpper,
                none.clone(),
                P::ForbiddenChar { ch: ' ' },
            ])
        );
        assert_eq!(
            check(""),
            Err(vec![
                P::TooShort { min: 8, chars: 0 },
                P::NoDigit,
                P::NoUpper,
                P::NoLower,
                none,
            ])
        );
    }

    #[test]
    fn blocklisted_words_with_decorations_are_common() {
        for password in [
            "Password@123",
            "PassWord1!",
            "Matkhau@2024",
            "MatKhau123@",
            "Anhyeuem@1",
            "Vietnam@1945",
            "Iloveyou_99",
            "Admin@123",
            "P@ssw0rd",
            "Abc@123456",
            "123456Aa@",
            "Qwerty!!12",
            "Vneid@2024",
        ] {
            assert!(is_common(password), "{password}");
            assert_eq!(check(password), Err(vec![P::Common]), "{password}");
        }
        // Only trailing decorations are stripped; a word inside is fine.
        for password in ["Nhoquan@123", "Matkhau@Moi9", "Xpassword@1", "Vietnamese@1"] {
            assert!(!is_common(password), "{password}");
        }
        assert!(is_common("123456"), "the whole password is also compared");
        assert!(!is_common(""), "an empty stem is never common");
    }

    fn holder() -> PersonalData<'static> {
        PersonalData {
            personal_id: "001090012345",
            date_of_birth: Some(jiff::civil::date(1990, 3, 15)),
            birth_year: None,
            phone: "0912345678",
        }
    }

    #[test]
    fn personal_data_forms() {
        use PersonalField::*;
        let cases: [(&str, &[PersonalField]); 13] = [
            ("Xy@001090012345", &[PersonalId]),
            ("Xy@012345ab", &[PersonalId]),
            ("Xy@0912345678", &[Phone]),
            ("Xy@84912345678", &[Phone]),
            ("Xy@912345678", &[Phone]),
            ("Xy@0912_345_678", &[Phone]),
            ("Xy@15031990", &[BirthDate]),
            ("Xy@150390ab", &[BirthDate]),
            ("Xy@19900315", &[BirthDate]),
            ("Xy@1990abcd", &[BirthDate]),
            ("Xy@15_03_1990", &[BirthDate]),
            ("A@0912345678x1990", &[Phone, BirthDate]),
            ("Nhoquan@123", &[]),
        ];
        let person = holder();
        for (password, want) in cases {
            let got = match PasswordPolicy::SEED.check(password, &person) {
                Ok(()) => vec![],
                Err(problems) => problems,
            };
            let want: Vec<_> = want
                .iter()
                .map(|&what| P::ContainsPersonalData { what })
                .collect();
            assert_eq!(got, want, "{password:?}");
        }
        // The same passwords are fine for someone else.
        assert_eq!(check("Xy@15031990"), Ok(()));
        assert_eq!(check("Xy@0912345678"), Ok(()));
    }

    #[test]
    fn birth_year_alone_and_odd_inputs() {
        let year_only = PersonalData {
            birth_year: Some(1985),
            ..NOBODY
        };
        assert_eq!(
            PasswordPolicy::SEED.check("Xy@1985abc", &year_only),
            Err(vec![P::ContainsPersonalData {
                what: PersonalField::BirthDate
            }])
        );
        assert_eq!(PasswordPolicy::SEED.check("Xy@1986abc", &year_only), Ok(()));
        // The phone as typed with +84 and spaces; a too-short phone or ID is
        // not sought.
        let typed = PersonalData {
            phone: "+84 912 345 678",
            personal_id: "12 345",
            ..NOBODY
        };
        assert_eq!(
            PasswordPolicy::SEED.check("Xy@0912345678", &typed),
            Err(vec![P::ContainsPersonalData {
                what: PersonalField::Phone
            }])
        );
        assert_eq!(PasswordPolicy::SEED.check("Xy@12345ab", &typed), Ok(()));
    }

    #[test]
    fn messages_name_the_rule() {
        let short = P::TooShort { min: 8, chars: 6 };
        assert_eq!(
            short.message_vi(),
            "Mật khẩu phải có ít nhất 8 ký tự (hiện có 6)"
        );
        assert_eq!(
            short.message_en(),
            "The password must have at least 8 characters (it has 6)"
        );
        assert_eq!(
            P::NoSpecial {
                specials: "!@#$^*()_"
            }
            .message_vi(),
            "Mật khẩu phải có ít nhất một ký tự đặc biệt trong !@#$^*()_"
        );
        assert!(
            P::ContainsPersonalData {
                what: PersonalField::BirthDate
            }
            .message_vi()
            .starts_with("Mật khẩu không được chứa ngày sinh của bạn")
        );
        assert!(
            P::ForbiddenChar { ch: ' ' }
                .message_vi()
                .contains("dấu cách")
        );
        assert!(P::ForbiddenChar { ch: '%' }.message_en().contains("“%”"));
        assert!(
            P::ForbiddenChar { ch: '\t' }
                .message_en()
                .contains("U+0009")
        );
        let codes: Vec<_> = [
            short,
            P::TooLong { max: 20, chars: 21 },
            P::NoDigit,
            P::NoUpper,
            P::NoLower,
            P::NoSpecial { specials: "!" },
            P::ForbiddenChar { ch: ' ' },
            P::Common,
            P::ContainsPersonalData {
                what: PersonalField::Phone,
            },
        ]
        .iter()
        .map(Localized::code)
        .collect();
        assert_eq!(
            codes,
            [
                "password.too_short",
                "password.too_long",
                "password.no_digit",
                "password.no_upper",
                "password.no_lower",
                "password.no_special",
                "password.forbidden_char",
                "password.common",
                "password.personal_data",
            ]
        );
    }

    #[test]
    fn describe_lists_the_rules() {
        let vi = PasswordPolicy::SEED.describe(Lang::Vi);
        let en = PasswordPolicy::SEED.describe(Lang::En);
        assert_eq!(vi.len(), en.len());
        assert_eq!(vi[0], "Từ 8 đến 20 ký tự");
        assert_eq!(en[0], "8 to 20 characters");
        assert!(
            vi.iter()
                .any(|r| r == "Ít nhất một ký tự đặc biệt trong !@#$^*()_")
        );
        let lax = PasswordPolicy {
            require_special: false,
            require_upper: false,
            ..PasswordPolicy::SEED
        };
        assert_eq!(lax.describe(Lang::En).len(), en.len() - 2);
        assert_eq!(
            lax.check("nhoquan123", &NOBODY),
            Ok(()),
            "a policy without those rules does not apply them"
        );
    }

    proptest! {
        #[test]
        fn an_accepted_password_keeps_every_rule(p in "[a-zA-Z0-9!@#$^*()_ %ê.]{0,24}") {
            let policy = PasswordPolicy::SEED;
            if policy.check(&p, &NOBODY).is_ok() {
                let n = p.chars().count();
                prop_assert!((8..=20).contains(&n));
                prop_assert!(p.chars().any(|c| c.is_ascii_digit()));
                prop_assert!(p.chars().any(|c| c.is_ascii_uppercase()));
                prop_assert!(p.chars().any(|c| c.is_ascii_lowercase()));
                prop_assert!(p.chars().any(|c| policy.specials.contains(c)));
                prop_assert!(p.chars().all(|c| c.is_ascii_alphanumeric() || policy.specials.contains(c)));
                prop_assert!(!is_common(&p));
            }
        }

        #[test]
        fn messages_never_repeat_the_password(p in "[a-zA-Z0-9!@#$^*()_ %ê]{5,24}") {
            if let Err(problems) = PasswordPolicy::SEED.check(&p, &holder()) {
                for problem in &problems {
                    prop_assert!(!problem.message_vi().contains(p.as_str()), "{}", problem.message_vi());
                    prop_assert!(!problem.message_en().contains(p.as_str()), "{}", problem.message_en());
                }
                let mut codes: Vec<_> = problems.iter().map(|x| format!("{x:?}")).collect();
                codes.dedup();
                prop_assert_eq!(codes.len(), problems.len(), "no problem twice");
            }
        }

        #[test]
        fn decorating_a_blocklisted_word_stays_common(
            i in 0usize..10_000,
            suffix in "[0-9!@#$^*()_]{0,6}",
            upper_first in any::<bool>(),
        ) {
            let words: Vec<&str> = common_passwords()
                .iter()
                .copied()
                .filter(|w| w.ends_with(|c: char| c.is_ascii_alphabetic()))
                .collect();
            let word = words[i % words.len()];
            let mut p = if upper_first {
                let mut cs = word.chars();
                cs.next().map(|c| c.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
            } else {
                word.to_owned()
            };
            p.push_str(&suffix);
            prop_assert!(is_common(&p), "{p}");
        }
    }
}

//! Captcha challenges (mã xác nhận): a distorted image of 5 characters
//! (PNG); the same characters spoken (one WAV file, synthesised by
//! [`speak`] when the citizen plays it, never stored); and a text
//! alternative for those who can neither see the image nor hear the audio
//! — a short question in words from several kinds (the largest of a few
//! numbers, what is left after giving some away, what comes after a
//! number, how many animals a list names, twice a number), so that a
//! script must understand each kind rather than map number words to a sum.
//! Any text question can be scripted by someone who tries; the per-client
//! caps of the service (`cancuoc_service::guard`) bound what that buys.
//! Only the making is here; storing a challenge and spending its answer is
//! the service's.

use base64::Engine;

use crate::RenderError;

/// Which alternative a challenge is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    /// A distorted image (ảnh), the default.
    #[default]
    Image,
    /// The image and the characters spoken (nghe).
    Audio,
    /// A question in words (chữ): a small sum, answered in digits.
    Text,
}

/// A challenge as made, before it is stored.
#[derive(Clone, Debug)]
pub struct Made {
    /// What the citizen must type.
    pub answer: String,
    /// The PNG image, for image and audio challenges.
    pub png: Option<Vec<u8>>,
    /// For audio challenges, the characters to speak ([`speak`] makes the
    /// sound when it is played).
    pub spoken: Option<String>,
    /// The question of a text challenge, Vietnamese and English.
    pub question: Option<(String, String)>,
}

impl Made {
    /// The image as a `data:image/png;base64,…` URI, to inline in a page.
    pub fn image_data_uri(&self) -> Option<String> {
        self.png.as_ref().map(|png| {
            format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(png)
            )
        })
    }
}

/// Characters of the image and audio challenges: letters and digits that
/// neither look nor sound alike once case is ignored (no 0/O/Q, 1/I/L, 5/S,
/// 2/Z, 8/B, 6/G, U/V), nor in the `captcha` crate's serif font under its
/// noise (no E/F, J/T, 7/T: each pair was misread in a user test).
pub const CHARS: [char; 17] = [
    'A', 'C', 'D', 'E', 'H', 'K', 'M', 'N', 'P', 'R', 'T', 'W', 'X', 'Y', '3', '4', '9',
];

/// The image's size in pixels (the pages show it at this size).
pub const IMAGE_WIDTH: u32 = 220;
/// See [`IMAGE_WIDTH`].
pub const IMAGE_HEIGHT: u32 = 120;
/// Free pixels kept between the characters and each edge of the image, so
/// that no glyph is cut once the waves have moved it.
const EDGE: u32 = 10;
/// Draws of characters tried before giving up on one that fits.
const FIT_TRIES: usize = 50;

/// Characters per image or audio challenge.
pub const LENGTH: u32 = 5;

/// Vietnamese and English words for 0–20.
const WORDS: [(&str, &str); 21] = [
    ("không", "zero"),
    ("một", "one"),
    ("hai", "two"),
    ("ba", "three"),
    ("bốn", "four"),
    ("năm", "five"),
    ("sáu", "six"),
    ("bảy", "seven"),
    ("tám", "eight"),
    ("chín", "nine"),
    ("mười", "ten"),
    ("mười một", "eleven"),
    ("mười hai", "twelve"),
    ("mười ba", "thirteen"),
    ("mười bốn", "fourteen"),
    ("mười lăm", "fifteen"),
    ("mười sáu", "sixteen"),
    ("mười bảy", "seventeen"),
    ("mười tám", "eighteen"),
    ("mười chín", "nineteen"),
    ("hai mươi", "twenty"),
];

/// Given names for the word problems.
const NAMES: [&str; 8] = ["Lan", "Minh", "Hoa", "Tuấn", "Mai", "Hùng", "Thu", "Nam"];

/// Things to count in the word problems: Vietnamese (with its classifier)
/// and English plural.
const THINGS: [(&str, &str); 6] = [
    ("quả cam", "oranges"),
    ("cái bánh", "cakes"),
    ("quyển vở", "notebooks"),
    ("bông hoa", "flowers"),
    ("cây bút", "pens"),
    ("quả trứng", "eggs"),
];

/// Animals and non-animals for the counting question.
const ANIMALS: [(&str, &str); 8] = [
    ("con chó", "a dog"),
    ("con mèo", "a cat"),
    ("con gà", "a chicken"),
    ("con trâu", "a buffalo"),
    ("con cá", "a fish"),
    ("con vịt", "a duck"),
    ("con ngựa", "a horse"),
    ("con chim", "a bird"),
];
const OBJECTS: [(&str, &str); 8] = [
    ("cái bàn", "a table"),
    ("cái ghế", "a chair"),
    ("cái nón", "a hat"),
    ("cái cốc", "a cup"),
    ("quyển sách", "a book"),
    ("chiếc xe đạp", "a bicycle"),
    ("cái đèn", "a lamp"),
    ("cái ấm", "a kettle"),
];

/// A text question and its answer in digits.
fn question(rng: &mut impl rand::Rng) -> (String, (String, String)) {
    use rand::seq::{IndexedRandom, SliceRandom};
    let w = |n: usize| WORDS[n];
    match rng.random_range(0..5u8) {
        0 => {
            // The largest of four distinct numbers.
            let mut pool: Vec<usize> = (1..=20).collect();
            pool.shuffle(rng);
            let nums = &pool[..4];
            let max = nums.iter().copied().max().unwrap_or(0);
            let vi: Vec<&str> = nums.iter().map(|&n| w(n).0).collect();
            let en: Vec<&str> = nums.iter().map(|&n| w(n).1).collect();
            (
                max.to_string(),
                (
                    format!(
                        "Trong các số {}, số nào lớn nhất? Trả lời bằng chữ số.",
                        vi.join(", ")
                    ),
                    format!(
                        "Which is the largest of {}? Answer in digits.",
                        en.join(", ")
                    ),
                ),
            )
        }
        1 => {
            // What is left after giving some away.
            let had = rng.random_range(8..=20usize);
            let gave = rng.random_range(1..had);
            let name = NAMES.choose(rng).copied().unwrap_or("Lan");
            let (vi, en) = THINGS.choose(rng).copied().unwrap_or(THINGS[0]);
            (
                (had - gave).to_string(),
                (
                    format!(
                        "{name} có {} {vi}, cho bạn {}. {name} còn lại bao nhiêu? Trả lời bằng chữ số.",
                        w(had).0,
                        w(gave).0
                    ),
                    format!(
                        "{name} has {} {en} and gives {} away. How many are left? Answer in digits.",
                        w(had).1,
                        w(gave).1
                    ),
                ),
            )
        }
        2 => {
            // The number right after, or right before.
            let n = rng.random_range(2..=19usize);
            if rng.random_bool(0.5) {
                (
                    (n + 1).to_string(),
                    (
                        format!("Số nào đứng liền sau số {}? Trả lời bằng chữ số.", w(n).0),
                        format!(
                            "Which number comes right after {}? Answer in digits.",
                            w(n).1
                        ),
                    ),
                )
            } else {
                (
                    (n - 1).to_string(),
                    (
                        format!("Số nào đứng liền trước số {}? Trả lời bằng chữ số.", w(n).0),
                        format!(
                            "Which number comes right before {}? Answer in digits.",
                            w(n).1
                        ),
                    ),
                )
            }
        }
        3 => {
            // How many animals a mixed list names.
            let animals = rng.random_range(1..=4usize);
            let objects = rng.random_range(1..=3usize);
            let mut items: Vec<(&str, &str)> = ANIMALS
                .choose_multiple(rng, animals)
                .chain(OBJECTS.choose_multiple(rng, objects))
                .copied()
                .collect();
            items.shuffle(rng);
            let vi: Vec<&str> = items.iter().map(|i| i.0).collect();
            let en: Vec<&str> = items.iter().map(|i| i.1).collect();
            (
                animals.to_string(),
                (
                    format!(
                        "Danh sách sau có bao nhiêu con vật: {}? Trả lời bằng chữ số.",
                        vi.join(", ")
                    ),
                    format!(
                        "How many animals are in this list: {}? Answer in digits.",
                        en.join(", ")
                    ),
                ),
            )
        }
        _ => {
            // Twice a number.
            let n = rng.random_range(2..=10usize);
            (
                (2 * n).to_string(),
                (
                    format!("Gấp đôi số {} là bao nhiêu? Trả lời bằng chữ số.", w(n).0),
                    format!("What is twice {}? Answer in digits.", w(n).1),
                ),
            )
        }
    }
}

/// Makes a new challenge of `kind` with fresh random characters (or a
/// fresh question). An audio challenge carries the characters to speak;
/// [`speak`] makes its sound when it is played.
pub fn make(kind: Kind) -> Result<Made, RenderError> {
    use captcha::filters::{Dots, Noise, Wave};
    if kind == Kind::Text {
        let (answer, question) = question(&mut rand::rng());
        return Ok(Made {
            answer,
            png: None,
            spoken: None,
            question: Some(question),
        });
    }
    let mut c = draw()?;
    c.apply_filter(Noise::new(0.3))
        .apply_filter(Wave::new(2.0, 12.0).horizontal())
        .apply_filter(Wave::new(2.0, 12.0).vertical())
        .view(IMAGE_WIDTH, IMAGE_HEIGHT)
        .apply_filter(Dots::new(10));
    let answer = c.chars_as_string();
    let png = c.as_png().ok_or(RenderError::Failed("captcha image"))?;
    Ok(Made {
        spoken: (kind == Kind::Audio).then(|| answer.clone()),
        answer,
        png: Some(png),
        question: None,
    })
}

/// Fresh random characters that fit the image. The font's glyphs differ in
/// width: about one draw in twenty is wider than the image and would be cut
/// at its edges, so such a draw is made again.
fn draw() -> Result<captcha::Captcha, RenderError> {
    for _ in 0..FIT_TRIES {
        let mut c = captcha::Captcha::new();
        c.set_chars(&CHARS).add_chars(LENGTH);
        if fits(&c) {
            return Ok(c);
        }
    }
    Err(RenderError::Failed("captcha image: no draw fits"))
}

/// Whether the characters drawn on `c` fit the image with [`EDGE`] free
/// pixels on every side.
fn fits(c: &captcha::Captcha) -> bool {
    let a = c.text_area();
    a.right - a.left + 2 * EDGE <= IMAGE_WIDTH && a.bottom - a.top + 2 * EDGE <= IMAGE_HEIGHT
}

/// The characters of `text` spoken, one WAV file with a pause between
/// characters. Only [`CHARS`] can be spoken. CPU-bound (decodes the
/// `captcha` crate's sound bank): call it off the async workers.
pub fn speak(text: &str) -> Result<Vec<u8>, RenderError> {
    let mut c = captcha::Captcha::new();
    for ch in text.chars() {
        if !CHARS.contains(&ch) {
            return Err(RenderError::Failed(
                "captcha audio: a character it cannot say",
            ));
        }
        // A one-character set makes the crate add exactly that character.
        c.set_chars(&[ch]).add_char();
    }
    let letters: Option<Vec<Vec<u8>>> = c.as_wav().into_iter().collect();
    concat_wavs(&letters.ok_or(RenderError::Failed("captcha audio"))?)
}

/// Joins the per-character WAVs the `captcha` crate gives (16-bit PCM mono,
/// one canonical `RIFF/WAVE/fmt /data` file each) into one file with 0.4 s
/// of silence between characters. Hand-rolled: a screen reader user needs
/// one file to play, and the format here is fixed by that crate, so a WAV
/// library would only re-read the same 44-byte headers.
fn concat_wavs(parts: &[Vec<u8>]) -> Result<Vec<u8>, RenderError> {
    fn data_of(wav: &[u8]) -> Option<(&[u8], &[u8])> {
        // Walk the chunks after "RIFF....WAVE": id(4) size(4 LE) body.
        if wav.len() < 12 || &wav[0..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
            return None;
        }
        let mut at = 12;
        let mut fmt = None;
        while at + 8 <= wav.len() {
            let id = &wav[at..at + 4];
            let size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().ok()?) as usize;
            let body = wav.get(at + 8..at + 8 + size)?;
            if id == b"fmt " {
                fmt = Some(body);
            } else if id == b"data" {
                return Some((fmt?, body));
            }
            at += 8 + size + (size & 1);
        }
        None
    }
    let mut fmt: Option<&[u8]> = None;
    let mut pcm: Vec<u8> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let (f, data) =
            data_of(part).ok_or(RenderError::Failed("captcha audio: unreadable part"))?;
        match fmt {
            None => fmt = Some(f),
            Some(first) if first != f => {
                return Err(RenderError::Failed("captcha audio: parts differ"));
            }
            Some(_) => {}
        }
        if i > 0 {
            // 16-bit mono: sample rate × 0.4 s × 2 bytes of silence.
            let rate = f
                .get(4..8)
                .and_then(|b| b.try_into().ok())
                .map_or(22_050, u32::from_le_bytes) as usize;
            pcm.resize(pcm.len() + rate * 2 * 2 / 5, 0);
        }
        pcm.extend_from_slice(data);
    }
    let fmt = fmt.ok_or(RenderError::Failed("captcha audio: no part"))?;
    let len =
        |n: usize| u32::try_from(n).map_err(|_| RenderError::Failed("captcha audio: too long"));
    let mut out = Vec::with_capacity(20 + fmt.len() + 8 + pcm.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&len(4 + 8 + fmt.len() + 8 + pcm.len())?.to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&len(fmt.len())?.to_le_bytes());
    out.extend_from_slice(fmt);
    out.extend_from_slice(b"data");
    out.extend_from_slice(&len(pcm.len())?.to_le_bytes());
    out.extend_from_slice(&pcm);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_challenges_use_the_unambiguous_characters() {
        let m = make(Kind::Image).expect("image");
        assert_eq!(m.answer.chars().count(), LENGTH as usize);
        assert!(m.answer.chars().all(|c| CHARS.contains(&c)), "{}", m.answer);
        let png = m.png.expect("png");
        assert_eq!(&png[1..4], b"PNG");
        assert!(m.spoken.is_none(), "nothing to speak for an image");
    }

    #[test]
    fn no_character_is_cut_at_the_edge_of_the_image() {
        // The widest draws the font allows do not fit; `make` draws again.
        let mut too_wide = 0;
        for _ in 0..400 {
            let mut c = captcha::Captcha::new();
            c.set_chars(&CHARS).add_chars(LENGTH);
            too_wide += usize::from(!fits(&c));
        }
        assert!(too_wide < 100, "{too_wide} of 400 draws do not fit");
        for _ in 0..400 {
            let c = draw().expect("a draw that fits");
            assert!(fits(&c) && c.chars().len() == LENGTH as usize);
        }
    }

    #[test]
    fn audio_challenges_are_one_playable_wav() {
        let m = make(Kind::Audio).expect("audio");
        assert_eq!(m.spoken.as_deref(), Some(m.answer.as_str()));
        let wav = speak(&m.answer).expect("wav");
        assert_eq!(&wav[0..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        let riff = u32::from_le_bytes(wav[4..8].try_into().expect("4")) as usize;
        assert_eq!(riff + 8, wav.len(), "RIFF size");
        // Five characters of at least 36 000 samples each, four pauses.
        assert!(wav.len() > 5 * 72_000 + 4 * 17_000, "{}", wav.len());
    }

    #[test]
    fn text_challenges_ask_questions_of_several_kinds_in_words() {
        let mut kinds = std::collections::BTreeSet::new();
        for _ in 0..400 {
            let m = make(Kind::Text).expect("text");
            let n: usize = m.answer.parse().expect("digits");
            assert!(n <= 20, "{n}");
            let (vi, en) = m.question.expect("question");
            assert!(!vi.chars().any(|c| c.is_ascii_digit()), "{vi}");
            assert!(!en.chars().any(|c| c.is_ascii_digit()), "{en}");
            assert!(m.png.is_none() && m.spoken.is_none());
            let kind = ["lớn nhất", "còn lại", "đứng liền", "con vật", "Gấp đôi"]
                .iter()
                .position(|k| vi.contains(k))
                .unwrap_or_else(|| panic!("an unknown kind: {vi}"));
            kinds.insert(kind);
        }
        assert_eq!(kinds.len(), 5, "every kind comes up");
    }

    /// The solver that beat the old "a plus b in words" every time: map
    /// the number words, add them. It must not beat the new questions.
    #[test]
    fn a_word_sum_solver_no_longer_solves_them() {
        let solved = (0..400)
            .filter(|_| {
                let m = make(Kind::Text).expect("text");
                let (_, en) = m.question.expect("question");
                let sum: usize = en
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter_map(|w| WORDS.iter().position(|(_, e)| *e == w))
                    .sum();
                sum.to_string() == m.answer
            })
            .count();
        assert!(solved < 80, "{solved} of 400 solved by adding the numbers");
    }

    #[test]
    fn speaking_refuses_a_character_it_cannot_say() {
        assert_eq!(
            speak("AB0"),
            Err(RenderError::Failed(
                "captcha audio: a character it cannot say"
            ))
        );
    }

    #[test]
    fn wav_joining_refuses_what_it_cannot_read() {
        assert_eq!(
            concat_wavs(&[b"not a wav".to_vec()]),
            Err(RenderError::Failed("captcha audio: unreadable part"))
        );
        assert_eq!(
            concat_wavs(&[]),
            Err(RenderError::Failed("captcha audio: no part"))
        );
    }
}

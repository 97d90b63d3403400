//! Captcha challenges (mã xác nhận): a distorted image of 5 characters
//! (PNG), the same characters spoken (one WAV file) for those asking by
//! ear, and a text alternative — a small sum written in words — for those
//! who can neither see the image nor hear the audio. Only the making is
//! here; storing a challenge and spending its answer is the service's.

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
    /// The spoken characters as one WAV file, for audio challenges.
    pub wav: Option<Vec<u8>>,
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
/// 2/Z, 8/B, 6/G, U/V).
pub const CHARS: [char; 20] = [
    'A', 'C', 'D', 'E', 'F', 'H', 'J', 'K', 'M', 'N', 'P', 'R', 'T', 'W', 'X', 'Y', '3', '4', '7',
    '9',
];

/// Characters per image or audio challenge.
pub const LENGTH: u32 = 5;

/// Vietnamese and English words for 0–10.
const WORDS: [(&str, &str); 11] = [
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
];

/// Makes a new challenge of `kind` with fresh random characters (or a
/// fresh sum). CPU-bound: the audio decodes the `captcha` crate's sound
/// bank, so call it off the async workers.
pub fn make(kind: Kind) -> Result<Made, RenderError> {
    use captcha::Captcha;
    use captcha::filters::{Dots, Noise, Wave};
    use rand::Rng;
    if kind == Kind::Text {
        let mut rng = rand::rng();
        let a = rng.random_range(1..=10usize);
        let b = rng.random_range(1..=10usize);
        return Ok(Made {
            answer: (a + b).to_string(),
            png: None,
            wav: None,
            question: Some((
                format!(
                    "{} cộng {} bằng bao nhiêu? Trả lời bằng chữ số.",
                    WORDS[a].0, WORDS[b].0
                ),
                format!(
                    "What is {} plus {}? Answer in digits.",
                    WORDS[a].1, WORDS[b].1
                ),
            )),
        });
    }
    let mut c = Captcha::new();
    c.set_chars(&CHARS)
        .add_chars(LENGTH)
        .apply_filter(Noise::new(0.3))
        .apply_filter(Wave::new(2.0, 12.0).horizontal())
        .apply_filter(Wave::new(2.0, 12.0).vertical())
        .view(220, 120)
        .apply_filter(Dots::new(10));
    let answer = c.chars_as_string();
    let png = c.as_png().ok_or(RenderError::Failed("captcha image"))?;
    let wav = if kind == Kind::Audio {
        let letters: Option<Vec<Vec<u8>>> = c.as_wav().into_iter().collect();
        Some(concat_wavs(
            &letters.ok_or(RenderError::Failed("captcha audio"))?,
        )?)
    } else {
        None
    };
    Ok(Made {
        answer,
        png: Some(png),
        wav,
        question: None,
    })
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
        assert!(m.wav.is_none());
    }

    #[test]
    fn audio_challenges_are_one_playable_wav() {
        let m = make(Kind::Audio).expect("audio");
        let wav = m.wav.expect("wav");
        assert_eq!(&wav[0..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        let riff = u32::from_le_bytes(wav[4..8].try_into().expect("4")) as usize;
        assert_eq!(riff + 8, wav.len(), "RIFF size");
        // Five characters of at least 36 000 samples each, four pauses.
        assert!(wav.len() > 5 * 72_000 + 4 * 17_000, "{}", wav.len());
    }

    #[test]
    fn text_challenges_ask_a_sum_in_words() {
        let m = make(Kind::Text).expect("text");
        let n: usize = m.answer.parse().expect("digits");
        assert!((2..=20).contains(&n));
        let (vi, en) = m.question.expect("question");
        assert!(vi.contains("cộng") && en.contains("plus"), "{vi} / {en}");
        assert!(!vi.chars().any(|c| c.is_ascii_digit()), "{vi}");
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

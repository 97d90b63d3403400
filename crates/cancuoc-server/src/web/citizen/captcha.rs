//! Captcha challenges of the status page (mã xác nhận): a distorted image
//! of 5 characters (PNG, inline in the page), the same characters spoken
//! (WAV, served at `/tra-cuu/ma-xac-nhan/{id}/nghe.wav` for challenges asked
//! for by ear) and a text alternative (a small sum written in words) for
//! those who can neither see the image nor hear the audio.
//!
//! Every form shown gets a new challenge, stored through the store (a hash
//! of the answer, an expiry [`CHALLENGE_TTL_SECS`] ahead) so that every
//! server process behind one address agrees on it; an answer spends it once.
//! The plain answer is never stored, except in the per-process map behind
//! the test hook, which exists only with `AppConfig::test_hooks`.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine;
use cancuoc_store::NewCaptcha;

use crate::app::App;
use crate::error::ApiError;

/// How long a challenge may be answered, in seconds (5 minutes).
pub(crate) const CHALLENGE_TTL_SECS: i64 = 300;

/// Characters of the image and audio challenges: letters and digits that
/// neither look nor sound alike once case is ignored (no 0/O/Q, 1/I/L, 5/S,
/// 2/Z, 8/B, 6/G, U/V).
const CHARS: [char; 20] = [
    'A', 'C', 'D', 'E', 'F', 'H', 'J', 'K', 'M', 'N', 'P', 'R', 'T', 'W', 'X', 'Y', '3', '4', '7',
    '9',
];

/// Characters per image or audio challenge.
const LENGTH: u32 = 5;

/// Which alternative a form shows (`kieu` in the query and the form).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A distorted image (ảnh), the default.
    #[default]
    Image,
    /// The image and the characters spoken (nghe).
    Audio,
    /// A question in words (chữ): a small sum, answered in digits.
    Text,
}

impl Kind {
    /// The value of the `kieu` field.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::Image => "anh",
            Kind::Audio => "nghe",
            Kind::Text => "chu",
        }
    }
}

/// A challenge as the form shows it.
#[derive(Clone, Debug)]
pub(crate) struct Challenge {
    /// The random id (hidden `challenge` field).
    pub id: String,
    /// Which alternative.
    pub kind: Kind,
    /// `data:image/png;base64,…` for image and audio challenges.
    pub image_src: Option<String>,
    /// The question of a text challenge, Vietnamese and English.
    pub question: Option<(String, String)>,
}

impl Challenge {
    /// Where the spoken alternative is served, for audio challenges.
    pub(crate) fn audio_href(&self) -> Option<String> {
        (self.kind == Kind::Audio).then(|| format!("/tra-cuu/ma-xac-nhan/{}/nghe.wav", self.id))
    }
    /// The question in the page's language (text challenges).
    pub(crate) fn question_in(&self, en: bool) -> &str {
        match &self.question {
            Some((vi, e)) => {
                if en {
                    e
                } else {
                    vi
                }
            }
            None => "",
        }
    }
}

/// What a challenge is made of before it is stored.
struct Made {
    answer: String,
    png: Option<Vec<u8>>,
    wav: Option<Vec<u8>>,
    question: Option<(String, String)>,
}

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

fn make(kind: Kind) -> Result<Made, ApiError> {
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
    let png = c.as_png().ok_or_else(|| internal("captcha image"))?;
    let wav = if kind == Kind::Audio {
        let letters: Option<Vec<Vec<u8>>> = c.as_wav().into_iter().collect();
        Some(concat_wavs(
            &letters.ok_or_else(|| internal("captcha audio"))?,
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

fn internal(what: &str) -> ApiError {
    tracing::error!(what, "captcha generation failed");
    ApiError::Status(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
}

/// Joins the per-character WAVs the `captcha` crate gives (16-bit PCM mono,
/// one canonical `RIFF/WAVE/fmt /data` file each) into one file with 0.4 s
/// of silence between characters. Hand-rolled: a screen reader user needs
/// one file to play, and the format here is fixed by that crate, so a WAV
/// library would only re-read the same 44-byte headers.
fn concat_wavs(parts: &[Vec<u8>]) -> Result<Vec<u8>, ApiError> {
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
        let (f, data) = data_of(part).ok_or_else(|| internal("captcha audio format"))?;
        match fmt {
            None => fmt = Some(f),
            Some(first) if first != f => return Err(internal("captcha audio formats differ")),
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
    let fmt = fmt.ok_or_else(|| internal("captcha audio empty"))?;
    let len = |n: usize| u32::try_from(n).map_err(|_| internal("captcha audio size"));
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

/// The answers of this process's challenges, kept only for the test hook
/// (`AppConfig::test_hooks`); never filled otherwise.
#[derive(Debug, Default)]
pub(crate) struct TestAnswers {
    answers: Mutex<HashMap<String, String>>,
}

impl TestAnswers {
    fn remember(&self, id: &str, answer: &str) {
        let mut map = match self.answers.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if map.len() >= 10_000 {
            map.clear();
        }
        map.insert(id.to_owned(), answer.to_owned());
    }

    /// The answer of challenge `id`, if this process made it.
    pub(crate) fn get(&self, id: &str) -> Option<String> {
        let map = match self.answers.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        map.get(id).cloned()
    }
}

/// Makes and stores a new challenge of `kind` (the image and audio are made
/// on a blocking thread: the audio decodes the crate's sound bank).
pub(crate) async fn new_challenge(app: &App, kind: Kind) -> Result<Challenge, ApiError> {
    let made = tokio::task::spawn_blocking(move || make(kind))
        .await
        .map_err(|_| internal("captcha task"))??;
    let id = format!("{:032x}", rand::random::<u128>());
    let now = app.service().now().as_second();
    app.service()
        .store()
        .create_captcha(&NewCaptcha {
            id: &id,
            answer: &made.answer,
            created_at: now,
            expires_at: now + CHALLENGE_TTL_SECS,
            audio: made.wav.as_deref(),
        })
        .await?;
    if app.config().test_hooks {
        app.web().citizen.test_answers.remember(&id, &made.answer);
    }
    Ok(Challenge {
        id,
        kind,
        image_src: made.png.map(|png| {
            format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(png)
            )
        }),
        question: made.question,
    })
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
        assert!(concat_wavs(&[b"not a wav".to_vec()]).is_err());
        assert!(concat_wavs(&[]).is_err());
    }
}

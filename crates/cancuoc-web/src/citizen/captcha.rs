//! Captcha challenges of the status page (mã xác nhận) as the form shows
//! them: a distorted image of 5 characters (PNG, inline in the page), the
//! same characters spoken (WAV, synthesised when it is fetched at
//! `/tra-cuu/ma-xac-nhan/{id}/nghe.wav`, for challenges asked for by ear)
//! and a text alternative (a short question in words) for those who can
//! neither see the image nor hear the audio.
//!
//! The challenge is made by `cancuoc_render::captcha` and kept by the
//! service (`Service::issue_captcha`: a hash of the answer, so that every
//! server process behind one address agrees on it; an answer spends it
//! once). The plain answer is never stored, except in the per-process map
//! behind the test hook, which exists only with `WebConfig::test_hooks`.

use std::collections::HashMap;
use std::sync::Mutex;

use cancuoc_render::captcha::{self as render, Made};
use cancuoc_service::{CaptchaCheck, Client, ServiceError};

use super::Msg;

use crate::Web;

pub(crate) use cancuoc_service::CAPTCHA_TTL_SECS as CHALLENGE_TTL_SECS;

/// The kind a form's `kieu` field names (image unless `nghe` or `chu`).
pub(crate) fn kind_of(s: Option<&str>) -> Kind {
    match s {
        Some("nghe") => Kind::Audio,
        Some("chu") => Kind::Text,
        _ => Kind::Image,
    }
}

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
    fn render(self) -> render::Kind {
        match self {
            Kind::Image => render::Kind::Image,
            Kind::Audio => render::Kind::Audio,
            Kind::Text => render::Kind::Text,
        }
    }

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

/// The answers of this process's challenges, kept only for the test hook
/// (`WebConfig::test_hooks`); never filled otherwise.
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

/// Makes and stores a new challenge of `kind` for `client` (the image is
/// made on a blocking thread).
pub(crate) async fn new_challenge(
    app: &Web,
    kind: Kind,
    client: Client,
) -> Result<Challenge, ServiceError> {
    let made: Made = tokio::task::spawn_blocking(move || render::make(kind.render()))
        .await
        .map_err(|e| ServiceError::Internal(format!("captcha task: {e}")))?
        .map_err(|e| ServiceError::Internal(format!("captcha: {e}")))?;
    let id = app
        .service()
        .issue_captcha(&made.answer, made.spoken.as_deref(), client)
        .await?;
    if app.config().test_hooks {
        app.citizen().test_answers.remember(&id, &made.answer);
    }
    Ok(Challenge {
        image_src: made.image_data_uri(),
        question: made.question,
        id,
        kind,
    })
}

/// What the form says when its captcha was not solved (a new challenge is
/// shown below it).
pub(crate) fn captcha_message(check: CaptchaCheck, kind: Kind) -> Msg {
    match check {
        CaptchaCheck::Wrong if kind == Kind::Text => Msg::new(
            "Câu trả lời chưa đúng. Hãy trả lời câu hỏi mới bên dưới (bằng chữ số).",
            "That answer is not right. Please answer the new question below (in digits).",
        ),
        CaptchaCheck::Wrong => Msg::new(
            "Mã xác nhận chưa đúng. Hãy nhập các ký tự của mã mới bên dưới (không phân biệt chữ hoa, chữ thường).",
            "The security code is not right. Please type the characters of the new code below (upper or lower case alike).",
        ),
        CaptchaCheck::Expired => Msg::new(
            format!(
                "Mã xác nhận đã hết hạn (mỗi mã chỉ dùng được trong {} phút). Hãy nhập mã mới bên dưới.",
                CHALLENGE_TTL_SECS / 60
            ),
            format!(
                "The security code has expired (each code lasts {} minutes). Please type the new code below.",
                CHALLENGE_TTL_SECS / 60
            ),
        ),
        CaptchaCheck::Used => Msg::new(
            "Mã xác nhận này đã được dùng (mỗi mã chỉ dùng một lần). Hãy nhập mã mới bên dưới.",
            "This security code was already used (each code works once). Please type the new code below.",
        ),
        CaptchaCheck::Unknown | CaptchaCheck::Solved => Msg::new(
            "Không tìm thấy mã xác nhận của biểu mẫu này. Hãy nhập mã mới bên dưới.",
            "The security code of this form was not found. Please type the new code below.",
        ),
    }
}

impl Web {
    /// A new image challenge for another front end over the same service
    /// (the REST API's `GET /api/v1/captcha`): its id and its image as a
    /// `data:image/png;base64,…` URI, made as the portal's are. With
    /// `WebConfig::test_hooks` its answer is readable at
    /// `GET /__test/captcha/{id}`, as the portal's are.
    pub async fn image_captcha(&self, client: Client) -> Result<(String, String), ServiceError> {
        let made = new_challenge(self, Kind::Image, client).await?;
        let image = made
            .image_src
            .ok_or_else(|| ServiceError::Internal("an image captcha without its image".into()))?;
        Ok((made.id, image))
    }
}

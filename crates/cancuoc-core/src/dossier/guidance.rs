//! What a citizen is told about a dossier in each state (hướng dẫn công
//! dân): what happened, which dates matter, and what to do next — the same
//! words on the portal, in chat and on the hotline. Pure data over
//! [`State`]: the front ends add the dates, the office and its hotline.
//!
//! The dates a state shows follow the offices' deadline
//! ([`State::deadline_running`]): a booked dossier has an appointment, not
//! a return date; a refused or cancelled one has neither; a rejected one
//! keeps its promised date only as "may change"; a card that is ready is
//! measured at the day it became ready, not at the day it is collected.

use super::workflow::State;

/// Which date a state's answer leads with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyDate {
    /// The day of the appointment at the office (ngày hẹn đến nộp hồ sơ):
    /// only booked, nothing received, no return date yet.
    Appointment,
    /// The promised return date (ngày hẹn trả), with the days left or late.
    Promised,
    /// The promised date, which may move: the dossier went back for a
    /// correction.
    PromisedMayChange,
    /// The day the card became ready (ngày có thẻ), against the promised
    /// date.
    Ready,
    /// None: the dossier ended without a card.
    None,
}

/// A state as a citizen is told it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Guidance {
    /// What happened, one line (Vietnamese).
    pub headline_vi: &'static str,
    /// What happened, one line (English).
    pub headline_en: &'static str,
    /// What to do next (Vietnamese).
    pub next_vi: &'static str,
    /// What to do next (English).
    pub next_en: &'static str,
    /// The date the answer leads with.
    pub key_date: KeyDate,
    /// Whether the dossier has a reason the citizen is told (refusal,
    /// rejection, cancellation: Circular 60/2021/TT-BCA Art. 4 requires
    /// the reason in writing).
    pub has_reason: bool,
}

const IN_PROGRESS_NEXT_VI: &str = "Bạn không cần làm gì thêm: chờ đến ngày hẹn trả. Nếu đã qua ngày hẹn mà thẻ chưa xong, hãy gọi đường dây nóng của cơ quan tiếp nhận.";
const IN_PROGRESS_NEXT_EN: &str = "Nothing to do for now: wait for the promised date. If it passes and the card is not ready, call the receiving office's hotline.";

const fn in_progress(headline_vi: &'static str, headline_en: &'static str) -> Guidance {
    Guidance {
        headline_vi,
        headline_en,
        next_vi: IN_PROGRESS_NEXT_VI,
        next_en: IN_PROGRESS_NEXT_EN,
        key_date: KeyDate::Promised,
        has_reason: false,
    }
}

/// The guidance of `state`.
pub const fn guidance(state: State) -> Guidance {
    match state {
        State::Booked => Guidance {
            headline_vi: "Đã đặt lịch hẹn, hồ sơ chưa được nộp.",
            headline_en: "An appointment is booked; the application has not been handed in yet.",
            next_vi: "Đến cơ quan tiếp nhận vào ngày hẹn, mang theo giấy tờ cần thiết. Ngày trả thẻ chỉ được hẹn khi hồ sơ được tiếp nhận.",
            next_en: "Go to the receiving office on the appointment day with the documents needed. The return date is only set once the application is received.",
            key_date: KeyDate::Appointment,
            has_reason: false,
        },
        State::Received => in_progress(
            "Hồ sơ đã được tiếp nhận.",
            "The application has been received.",
        ),
        State::Captured => in_progress(
            "Đã thu nhận vân tay, ảnh chân dung và thông tin.",
            "Fingerprints, portrait and details have been taken.",
        ),
        State::SlipIssued => in_progress(
            "Đã thu lệ phí và cấp giấy hẹn trả thẻ.",
            "The fee is settled and the appointment slip issued.",
        ),
        State::CommuneVerification => in_progress(
            "Công an cấp xã nơi cư trú đang xác minh thông tin dân cư.",
            "The commune police of your residence are verifying your population data.",
        ),
        State::SentToCentre => in_progress(
            "Hồ sơ đang được xử lý tại Trung tâm dữ liệu quốc gia về dân cư.",
            "The application is being processed at the National Population Data Centre.",
        ),
        State::Approved => in_progress(
            "Hồ sơ đã được phê duyệt, chờ in thẻ.",
            "The application is approved; the card is waiting to be printed.",
        ),
        State::Printed => in_progress("Thẻ đã được in.", "The card has been printed."),
        State::Dispatched => in_progress(
            "Thẻ đang được chuyển về cơ quan tiếp nhận.",
            "The card is on its way to the receiving office.",
        ),
        State::Rejected => Guidance {
            headline_vi: "Hồ sơ bị trả về nơi tiếp nhận để bổ sung, điều chỉnh; việc xử lý đang tạm dừng.",
            headline_en: "The application was sent back to the receiving office to be completed or corrected; processing is on hold.",
            next_vi: "Gọi đường dây nóng hoặc đến cơ quan tiếp nhận để biết cần bổ sung gì. Cơ quan tiếp nhận cũng sẽ liên hệ với bạn. Ngày hẹn trả có thể thay đổi.",
            next_en: "Call the hotline or visit the receiving office to learn what is needed; the office will also contact you. The return date may change.",
            key_date: KeyDate::PromisedMayChange,
            has_reason: true,
        },
        State::Refused => Guidance {
            headline_vi: "Hồ sơ bị từ chối tiếp nhận; không có ngày hẹn trả.",
            headline_en: "The application was refused at reception; there is no return date.",
            next_vi: "Cơ quan tiếp nhận đã báo lý do khi từ chối. Khắc phục lý do đó rồi nộp lại hồ sơ (có thể đặt lịch hẹn mới); gọi đường dây nóng nếu cần hỏi.",
            next_en: "The office gave the reason when refusing. Put it right, then apply again (you may book a new appointment); call the hotline with any question.",
            key_date: KeyDate::None,
            has_reason: true,
        },
        State::ReadyForPickup => Guidance {
            headline_vi: "Thẻ đã có, đang chờ bạn đến nhận.",
            headline_en: "The card is ready and waiting for you.",
            next_vi: "Đến cơ quan tiếp nhận trong giờ làm việc để nhận thẻ; mang theo giấy hẹn và thẻ hoặc chứng minh nhân dân cũ (sẽ được thu lại).",
            next_en: "Collect the card at the receiving office during opening hours; bring the appointment slip and your old card or ID (it will be taken back).",
            key_date: KeyDate::Ready,
            has_reason: false,
        },
        State::Posted => Guidance {
            headline_vi: "Thẻ đã được gửi qua bưu điện đến địa chỉ bạn đăng ký.",
            headline_en: "The card has been posted to the address you gave.",
            next_vi: "Chờ bưu điện giao thẻ; khi nhận, xuất trình giấy hẹn. Nếu quá lâu chưa nhận được, hãy gọi đường dây nóng của cơ quan tiếp nhận.",
            next_en: "Wait for the post to deliver it and show the appointment slip when it arrives. If it takes too long, call the receiving office's hotline.",
            key_date: KeyDate::Ready,
            has_reason: false,
        },
        State::Returned => Guidance {
            headline_vi: "Đã trả thẻ; hồ sơ đã kết thúc.",
            headline_en: "The card has been handed over; the dossier is closed.",
            next_vi: "Không cần làm gì thêm. Nếu thông tin trên thẻ có sai sót, hãy liên hệ cơ quan tiếp nhận.",
            next_en: "Nothing more to do. If anything on the card is wrong, contact the receiving office.",
            key_date: KeyDate::Ready,
            has_reason: false,
        },
        State::Cancelled => Guidance {
            headline_vi: "Hồ sơ đã bị hủy; không có ngày hẹn trả.",
            headline_en: "The dossier was cancelled; there is no return date.",
            next_vi: "Nếu bạn vẫn cần làm thẻ, hãy đặt lịch hẹn mới hoặc đến cơ quan tiếp nhận; gọi đường dây nóng nếu cần hỏi lý do.",
            next_en: "If you still need a card, book a new appointment or visit the receiving office; call the hotline to ask why.",
            key_date: KeyDate::None,
            has_reason: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_promised_date_is_shown_only_where_the_deadline_runs_or_ended_with_a_card() {
        for s in State::ALL {
            let g = guidance(s);
            match g.key_date {
                KeyDate::Promised | KeyDate::PromisedMayChange => {
                    assert!(s.deadline_running(), "{s:?}")
                }
                KeyDate::Ready => assert!(s.card_ready(), "{s:?}"),
                KeyDate::Appointment => assert_eq!(s, State::Booked),
                KeyDate::None => assert!(s.is_terminal() && !s.card_ready(), "{s:?}"),
            }
            assert!(!g.headline_vi.is_empty() && !g.next_en.is_empty());
        }
    }

    #[test]
    fn a_rejected_dossier_is_not_told_it_is_on_track() {
        let g = guidance(State::Rejected);
        assert!(g.has_reason);
        assert!(g.headline_vi.contains("trả về") && g.next_vi.contains("có thể thay đổi"));
        assert_ne!(g.next_vi, IN_PROGRESS_NEXT_VI);
    }
}

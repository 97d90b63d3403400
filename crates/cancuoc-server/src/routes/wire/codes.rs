//! The codes of the REST API (mã): every closed set a body carries — a
//! dossier's state, a role, an issue kind, a reason, an exemption … — as a
//! string enum of its stable codes, so the spec lists them. Each mirrors a
//! core or store enum with an exhaustive conversion both ways: a variant
//! added there does not compile here until the API says how to write it,
//! and the tests below hold every code to the one the core writes.

use cancuoc_core::dossier::capture::HeadCovering;
use cancuoc_core::dossier::workflow::{OldDocument, Role, State};
use cancuoc_core::person::Sex;
use cancuoc_core::rules::{
    Channel, EligibilityStatus, Exemption, IssueKind, Reason, Receiver, Regime, Stage,
};
use cancuoc_service::model::{EventKind, OfficeLevel, Verification};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a string enum of the API mirroring `$core` variant by variant,
/// each with its code, and the conversions both ways. (The code is taken
/// as a token tree, not a `literal` fragment: utoipa does not see through
/// the invisible group a fragment is wrapped in, and would document the
/// variant's Rust name instead of its code.)
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident <=> $core:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:tt, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl From<$core> for $name {
            fn from(c: $core) -> Self {
                match c {
                    $( $core::$variant => Self::$variant, )+
                }
            }
        }

        impl From<$name> for $core {
            fn from(c: $name) -> Self {
                match c {
                    $( $name::$variant => Self::$variant, )+
                }
            }
        }
    };
}

code_enum! {
    /// Trạng thái hồ sơ: the state of a dossier in the issuance workflow.
    StateCode <=> State {
        /// Đã đặt lịch hẹn.
        Booked = "booked",
        /// Đã tiếp nhận.
        Received = "received",
        /// Từ chối tiếp nhận (terminal).
        Refused = "refused",
        /// Đã thu nhận thông tin.
        Captured = "captured",
        /// Đã thu lệ phí, cấp giấy hẹn.
        SlipIssued = "slip_issued",
        /// Đang xác minh tại Công an cấp xã.
        CommuneVerification = "commune_verification",
        /// Đã chuyển Trung tâm dữ liệu quốc gia về dân cư.
        SentToCentre = "sent_to_centre",
        /// Đã phê duyệt.
        Approved = "approved",
        /// Bị từ chối, trả về nơi tiếp nhận.
        Rejected = "rejected",
        /// Đã in thẻ.
        Printed = "printed",
        /// Đã chuyển phát về nơi tiếp nhận.
        Dispatched = "dispatched",
        /// Chờ trả thẻ.
        ReadyForPickup = "ready_for_pickup",
        /// Đã gửi bưu điện.
        Posted = "posted",
        /// Đã trả thẻ (terminal).
        Returned = "returned",
        /// Đã hủy hồ sơ (terminal).
        Cancelled = "cancelled",
    }
}

code_enum! {
    /// Vai trò: the role an officer (or the citizen on the portal) acted in.
    RoleCode <=> Role {
        /// Công dân.
        Citizen = "citizen",
        /// Cán bộ tiếp nhận, thu nhận thông tin.
        Receptionist = "receptionist",
        /// Cán bộ Công an cấp xã.
        CommunePolice = "commune_police",
        /// Cán bộ xử lý tại Trung tâm dữ liệu quốc gia về dân cư.
        Processor = "processor",
        /// Lãnh đạo phê duyệt.
        Approver = "approver",
        /// Cán bộ in thẻ.
        Printer = "printer",
        /// Cán bộ chuyển phát.
        Dispatcher = "dispatcher",
        /// Cán bộ trả thẻ.
        ReturnOfficer = "return_officer",
        /// Quản trị hệ thống.
        Admin = "admin",
    }
}

code_enum! {
    /// Loại cấp: the kind of a card application.
    KindCode <=> IssueKind {
        /// Cấp lần đầu.
        First = "first",
        /// Đổi thẻ (cấp đổi).
        Renewal = "renewal",
        /// Cấp lại thẻ.
        Reissue = "reissue",
    }
}

code_enum! {
    /// Lý do cấp, đổi, cấp lại: why a card is applied for.
    ReasonCode <=> Reason {
        /// Cấp thẻ lần đầu.
        FirstIssue = "first-issue",
        /// Đủ tuổi phải đổi thẻ (14, 25, 40, 60).
        Age = "age",
        /// Thẻ bị hư hỏng không sử dụng được.
        Damaged = "damaged",
        /// Thay đổi, cải chính họ, chữ đệm, tên.
        NameChange = "name-change",
        /// Thay đổi đặc điểm nhân dạng.
        FeaturesChange = "features-change",
        /// Xác định lại giới tính.
        GenderRedetermined = "gender-redetermined",
        /// Xác định lại quê quán.
        OriginRedetermined = "origin-redetermined",
        /// Có sai sót về thông tin trên thẻ.
        CardError = "card-error",
        /// Sai sót do lỗi của cơ quan quản lý căn cước.
        AgencyError = "agency-error",
        /// Theo yêu cầu của công dân.
        OnRequest = "on-request",
        /// Chuyển từ CMND/CCCD sang thẻ mới.
        CmndConversion = "cmnd-conversion",
        /// Thay đổi địa giới, sắp xếp đơn vị hành chính.
        BoundaryChange = "boundary-change",
        /// Bị mất thẻ.
        Lost = "lost",
        /// Được trở lại quốc tịch Việt Nam.
        NationalityRegained = "nationality-regained",
    }
}

code_enum! {
    /// Đối tượng được miễn lệ phí: a ground for fee exemption.
    ExemptionCode <=> Exemption {
        /// Bố, mẹ, vợ, chồng, con dưới 18 tuổi của liệt sỹ.
        MartyrFamily = "martyr-family",
        /// Thương binh, người hưởng chính sách như thương binh.
        WarInvalid = "war-invalid",
        /// Con dưới 18 tuổi của thương binh.
        WarInvalidChild = "war-invalid-child",
        /// Bệnh binh.
        SickSoldier = "sick-soldier",
        /// Thường trú tại xã biên giới.
        BorderCommune = "border-commune",
        /// Thường trú tại huyện đảo.
        IslandDistrict = "island-district",
        /// Đồng bào dân tộc thiểu số ở xã đặc biệt khó khăn.
        EthnicMinorityHardship = "ethnic-minority-hardship",
        /// Thuộc hộ nghèo.
        PoorHousehold = "poor-household",
        /// Dưới 18 tuổi, mồ côi cả cha lẫn mẹ, không nơi nương tựa.
        Orphan = "orphan",
        /// Trẻ em (dưới 16 tuổi).
        Child = "child",
        /// Người cao tuổi (từ đủ 60 tuổi).
        Elderly = "elderly",
        /// Người khuyết tật.
        Disabled = "disabled",
    }
}

code_enum! {
    /// Hình thức nộp hồ sơ: how an application was filed.
    ChannelCode <=> Channel {
        /// Nộp trực tiếp.
        InPerson = "in-person",
        /// Nộp trực tuyến.
        Online = "online",
    }
}

code_enum! {
    /// Bước xử lý hồ sơ: a processing stage with its own deadline.
    StageCode <=> Stage {
        /// Công an cấp xã xác minh, cập nhật dữ liệu dân cư (in parallel).
        CommuneVerification = "commune-verification",
        /// Xử lý và chuyển dữ liệu lên Trung tâm dữ liệu quốc gia về dân cư.
        TransferToNpd = "transfer-to-npd",
        /// Xử lý, phê duyệt, in hoàn chỉnh thẻ.
        CentralProcessing = "central-processing",
        /// Chuyển phát thẻ về nơi làm thủ tục.
        Dispatch = "dispatch",
    }
}

code_enum! {
    /// Nơi tiếp nhận hồ sơ: who received a dossier.
    ReceiverCode <=> Receiver {
        /// Cơ quan Công an cấp huyện / cấp tỉnh.
        Office = "office",
        /// Trung tâm dữ liệu quốc gia về dân cư.
        NpdCentre = "npd-centre",
    }
}

code_enum! {
    /// Chế độ pháp lý: the legal regime of the card on a date.
    RegimeCode <=> Regime {
        /// Thẻ Căn cước công dân (Law 59/2014/QH13), to 30 Jun 2024.
        Cccd2014 = "cccd2014",
        /// Thẻ Căn cước (Law 26/2023/QH15), from 1 Jul 2024.
        CanCuoc2023 = "cancuoc2023",
    }
}

code_enum! {
    /// What the law says about a person getting a card on a date (đối
    /// tượng được cấp thẻ).
    EligibilityCode <=> EligibilityStatus {
        /// Phải làm thủ tục cấp thẻ: 14 or older, Căn cước regime.
        Required = "required",
        /// Được cấp thẻ: 14 or older, CCCD regime.
        Entitled = "entitled",
        /// Cấp theo nhu cầu: under 14, Căn cước regime.
        OnRequest = "on-request",
        /// Chưa đủ tuổi: under 14, CCCD regime.
        TooYoung = "too-young",
    }
}

code_enum! {
    /// Giới tính: `male` (Nam) or `female` (Nữ).
    SexCode <=> Sex {
        /// Nam.
        Male = "male",
        /// Nữ.
        Female = "female",
    }
}

code_enum! {
    /// Whether a citizen's field was checked against a trusted source (xác
    /// thực) or entered by the citizen (tự khai).
    VerificationCode <=> Verification {
        /// Đã xác thực.
        Verified = "verified",
        /// Tự khai.
        SelfDeclared = "self_declared",
    }
}

code_enum! {
    /// Cấp đơn vị: the level of an office in the tree.
    LevelCode <=> OfficeLevel {
        /// Bộ Công an.
        Ministry = "ministry",
        /// Trung tâm dữ liệu quốc gia về dân cư.
        NpdCentre = "npd_centre",
        /// Công an tỉnh/thành phố.
        Province = "province",
        /// Công an quận/huyện.
        District = "district",
        /// Công an xã/phường/thị trấn.
        Commune = "commune",
    }
}

code_enum! {
    /// Loại sự kiện: what an event of a dossier's log records.
    EventKindCode <=> EventKind {
        /// Chuyển trạng thái (the creating event included).
        Transition = "transition",
        /// Thu nhận vân tay, ảnh, đặc điểm nhận dạng; the state is unchanged.
        Capture = "capture",
    }
}

code_enum! {
    /// What happened to the citizen's old document (CMND/CCCD) at hand-over.
    OldDocumentCode <=> OldDocument {
        /// Đã thu hồi CMND/CCCD cũ.
        Collected = "collected",
        /// Không có giấy tờ cũ để thu hồi.
        NoneToCollect = "none_to_collect",
    }
}

code_enum! {
    /// How the head is shown on the portrait (đầu để trần / khăn đội đầu).
    HeadCoveringCode <=> HeadCovering {
        /// Đầu để trần.
        Bare = "bare",
        /// Khăn đội đầu của lễ phục tôn giáo, trang phục dân tộc: allowed
        /// when the face and both ears are visible.
        ReligiousOrEthnic = "religious_or_ethnic",
        /// Any other covering: refused.
        Other = "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_json::to_value;

    /// Every value writes the core's JSON, reads back, and converts back;
    /// the spec lists exactly these codes.
    fn same<C, W>(values: &[C])
    where
        C: Copy + Serialize + PartialEq + std::fmt::Debug + From<W>,
        W: Copy + Serialize + DeserializeOwned + From<C> + utoipa::PartialSchema,
    {
        let mut written = Vec::new();
        for &c in values {
            let w = W::from(c);
            let json = to_value(w).expect("wire json");
            assert_eq!(json, to_value(c).expect("core json"), "{c:?}");
            written.push(json.clone());
            let back: W = serde_json::from_value(json).expect("read back");
            assert_eq!(C::from(back), c);
        }
        let schema = to_value(W::schema()).expect("schema json");
        assert_eq!(schema["type"], "string", "{schema}");
        assert_eq!(
            schema["enum"],
            serde_json::Value::Array(written),
            "{schema}"
        );
    }

    #[test]
    fn every_code_is_the_core_one() {
        same::<State, StateCode>(&State::ALL);
        same::<Role, RoleCode>(&Role::ALL);
        same::<IssueKind, KindCode>(IssueKind::ALL);
        same::<Reason, ReasonCode>(Reason::ALL);
        same::<Exemption, ExemptionCode>(Exemption::ALL);
        same::<Channel, ChannelCode>(Channel::ALL);
        same::<Stage, StageCode>(Stage::ALL);
        same::<Receiver, ReceiverCode>(Receiver::ALL);
        same::<Regime, RegimeCode>(Regime::ALL);
        same::<OfficeLevel, LevelCode>(&OfficeLevel::ALL);
        use EligibilityStatus as E;
        same::<E, EligibilityCode>(&[E::Required, E::Entitled, E::OnRequest, E::TooYoung]);
        same::<Sex, SexCode>(&[Sex::Male, Sex::Female]);
        same::<Verification, VerificationCode>(&[
            Verification::Verified,
            Verification::SelfDeclared,
        ]);
        same::<EventKind, EventKindCode>(&[EventKind::Transition, EventKind::Capture]);
        same::<OldDocument, OldDocumentCode>(&[OldDocument::Collected, OldDocument::NoneToCollect]);
        use HeadCovering as H;
        same::<H, HeadCoveringCode>(&[H::Bare, H::ReligiousOrEthnic, H::Other]);
    }
}

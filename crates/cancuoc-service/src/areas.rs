//! What each role may open in the console (khu vực chức năng theo vai
//! trò): one answer, from the same role lists the use cases check, so a
//! front end links only to pages the officer may use (a printer sees no
//! reception desk) and the page itself refuses the same roles.

use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::dossier::workflow::queue::queue_kinds;

use super::citizens::REGISTRARS;
use super::dossiers::{CAPTURERS, OPENERS};

/// The console areas open to a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsoleAreas {
    /// Bàn tiếp nhận: find or register citizens, open dossiers.
    pub reception: bool,
    /// Lịch hẹn: the day's appointments at the officer's office (reception
    /// receives them).
    pub appointments: bool,
    /// Hàng đợi: the role's work queues (a role that moves dossiers).
    pub queues: bool,
    /// Quá hạn: the overdue dashboard of the officer's office.
    pub overdue: bool,
    /// Phiếu thu nhận, giấy hẹn: the capture checklist and the print views
    /// handed to the citizen at the desk.
    pub desk_papers: bool,
    /// Tin nhắn: the chat inbox, where an officer answers the citizens
    /// the bot handed over (reception and administrators).
    pub chats: bool,
    /// Xác nhận số CMND: the requests to confirm an old ID number of the
    /// officer's office (`crate::confirmations::CONFIRMERS`).
    pub confirmations: bool,
}

/// The roles that answer citizens in the chat inbox: the reception desk
/// (of the conversation's office) and administrators.
pub(crate) const CHAT_ANSWERERS: &[Role] = &[Role::Receptionist, Role::Admin];

impl ConsoleAreas {
    /// The areas of `role`.
    pub fn of(role: Role) -> Self {
        Self {
            reception: OPENERS.contains(&role) || REGISTRARS.contains(&role),
            appointments: OPENERS.contains(&role),
            queues: !queue_kinds(role).is_empty(),
            overdue: role != Role::Citizen,
            desk_papers: CAPTURERS.contains(&role),
            chats: CHAT_ANSWERERS.contains(&role),
            confirmations: super::confirmations::CONFIRMERS.contains(&role),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printer_has_no_reception_desk_and_a_receptionist_has_it_all() {
        let printer = ConsoleAreas::of(Role::Printer);
        assert!(!printer.reception && !printer.appointments && !printer.desk_papers);
        assert!(printer.queues && printer.overdue);
        let desk = ConsoleAreas::of(Role::Receptionist);
        assert!(desk.reception && desk.appointments && desk.queues && desk.desk_papers);
        assert!(!ConsoleAreas::of(Role::Admin).queues);
    }

    #[test]
    fn the_chat_inbox_is_for_reception_and_administrators() {
        assert!(ConsoleAreas::of(Role::Receptionist).chats);
        assert!(ConsoleAreas::of(Role::Admin).chats);
        for role in [
            Role::Printer,
            Role::Processor,
            Role::Approver,
            Role::Dispatcher,
        ] {
            assert!(!ConsoleAreas::of(role).chats, "{role:?}");
        }
    }
}

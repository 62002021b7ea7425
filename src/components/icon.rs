//! Inline SVG icons, the one way the app draws an icon: no icon font, no emoji (whose look
//! depends on the phone's fonts), no request leaves the page. Always decorative (`aria-hidden`):
//! the text beside them carries the meaning. Every icon is one path on a 24×24 grid, stroked 2
//! wide with round ends. The shell's icons are the project's own; the catalog's
//! ([`ServiceIcon`], named in its data) are Lucide's (lucide.dev, ISC licence), their circles,
//! rectangles and lines rewritten as path commands.

use citizen_core::catalog::ServiceIcon;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconKind {
    Home,
    Grid,
    Message,
    Heart,
    User,
    Star,
    StarFilled,
    Pin,
    Phone,
    External,
    Search,
    /// A catalog category's icon (also drawn on its tiles).
    Service(ServiceIcon),
}

impl IconKind {
    fn path(self) -> &'static str {
        match self {
            IconKind::Home => "M3 11l9-8 9 8v10a1 1 0 0 1-1 1h-5v-7h-6v7H4a1 1 0 0 1-1-1z",
            IconKind::Grid => "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
            IconKind::Message => "M4 4h16v12H8l-4 4z",
            IconKind::Heart => {
                "M12 21s-8-5.3-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 10c0 5.7-8 11-8 11z"
            }
            IconKind::User => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
            IconKind::Star | IconKind::StarFilled => {
                "M12 3l2.8 5.9 6.2.8-4.6 4.3 1.2 6.2L12 17.2 6.4 20.2l1.2-6.2L3 9.7l6.2-.8z"
            }
            IconKind::Pin => {
                "M12 22s7-6.2 7-12a7 7 0 0 0-14 0c0 5.8 7 12 7 12zM12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z"
            }
            IconKind::Phone => {
                "M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z"
            }
            IconKind::External => "M14 4h6v6M20 4l-9 9M18 14v6H4V6h6",
            IconKind::Search => "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5",
            IconKind::Service(icon) => service_path(icon),
        }
    }
}

fn service_path(icon: ServiceIcon) -> &'static str {
    match icon {
        ServiceIcon::ShieldCheck => "M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10zM9 12l2 2 4-4",
        ServiceIcon::Pill => {
            "M10.5 20.5l10-10a4.95 4.95 0 1 0-7-7l-10 10a4.95 4.95 0 1 0 7 7ZM8.5 8.5l7 7"
        }
        ServiceIcon::PiggyBank => {
            "M19 5c-1.5 0-2.8 1.4-3 2-3.5-1.5-11-.3-11 5 0 1.8 0 3 2 4.5V20h4v-2h3v2h4v-4c1-.5 1.7-1 2-2h2v-4h-2c0-1-.5-1.5-1-2h0V5zM2 9v1c0 1.1.9 2 2 2h1M16 11h0"
        }
        ServiceIcon::IdCard => {
            "M17 9h-3M18 13h-4M2 14.333a4 4 0 0 1 8 0M2.268 18a2 2 0 0 0 1.727 1H20a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-8M3.333 7.667a2.667 2.667 0 1 0 5.334 0a2.667 2.667 0 1 0 -5.334 0"
        }
        ServiceIcon::Receipt => {
            "M4 2v20l2-1 2 1 2-1 2 1 2-1 2 1 2-1 2 1V2l-2 1-2-1-2 1-2-1-2 1-2-1-2 1-2-1ZM16 8h-6a2 2 0 1 0 0 4h4a2 2 0 1 1 0 4H8M12 17V7"
        }
        ServiceIcon::TrainFront => {
            "M8 3.1V7a4 4 0 0 0 8 0V3.1M9 15l-1-1M15 15l1-1M9 19c-2.8 0-5-2.2-5-5v-4a8 8 0 0 1 16 0v4c0 2.8-2.2 5-5 5ZM8 19l-2 3M16 19l2 3"
        }
        ServiceIcon::Lightbulb => {
            "M9 18L15 18M10 22L14 22M15.09 14c.18-.98.65-1.74 1.41-2.5A4.65 4.65 0 0018 8 6 6 0 006 8c0 1 .23 2.23 1.5 3.5A4.61 4.61 0 018.91 14"
        }
        ServiceIcon::Hospital => {
            "M10 14h.01M10 18h.01M12 6v4M14 14h.01M14 18h.01M14 8h-4M18 10h2a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2h-2M6 7H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h2M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1 -2 2h-8a2 2 0 0 1 -2 -2v-16a2 2 0 0 1 2 -2z"
        }
        ServiceIcon::GraduationCap => "M22 10v6M2 10l10-5 10 5-10 5zM6 12v5c3 3 9 3 12 0v-5",
        ServiceIcon::Briefcase => {
            "M4 7h16a2 2 0 0 1 2 2v10a2 2 0 0 1 -2 2h-16a2 2 0 0 1 -2 -2v-10a2 2 0 0 1 2 -2zM16 21V5a2 2 0 00-2-2h-4a2 2 0 00-2 2v16"
        }
        ServiceIcon::Handshake => {
            "M11 17l2 2a1 1 0 1 0 3-3M11 4H3.905a1 1 0 0 0-.995.9l-.816 8.157a2 2 0 0 0 .576 1.613L8.5 20.5a1 1 0 1 0 3-3M14 14l2.5 2.5a1 1 0 1 0 3-3l-3.88-3.88a3 3 0 0 0-4.24 0l-.88.88a1 1 0 1 1-3-3l2.81-2.81a5.79 5.79 0 0 1 7.06-.87l.47.28a2 2 0 0 0 1.42.25l.658-.132a1 1 0 0 1 1.192.88l.78 7.802a1 1 0 0 1-.995 1.1H20"
        }
        ServiceIcon::Users => {
            "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M5 7a4 4 0 1 0 8 0a4 4 0 1 0 -8 0M22 21v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75"
        }
        ServiceIcon::Building => {
            "M6 22V4a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2v18M6 12H4a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-9a2 2 0 0 0-2-2h-2M10 6h4M10 10h4M10 14h4M10 18h4"
        }
        ServiceIcon::Ticket => {
            "M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v2a3 3 0 1 0 0 6v2a2 2 0 0 1-2 2H5a2.006 2.006 0 0 1-2-2v-2a3 3 0 1 0 0-6ZM13 5v2M13 17v2M13 11v2"
        }
        ServiceIcon::ShoppingBag => {
            "M6 2 3 6v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6l-3-4zM3 6L21 6M16 10a4 4 0 0 1-8 0"
        }
        ServiceIcon::Scale => {
            "M12 3v18M19 8l3 8a5 5 0 0 1-6 0zV7M3 7h1a17 17 0 0 0 8-2 17 17 0 0 0 8 2h1M5 8l3 8a5 5 0 0 1-6 0zV7M7 21h10"
        }
        ServiceIcon::Siren => {
            "M7 12a5 5 0 0 1 5-5v0a5 5 0 0 1 5 5v6H7v-6ZM5 20a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v2H5v-2ZM21 12h1M18.5 4.5 18 5M2 12h1M12 2v1M4.929 4.929l.707.707M12 12v6"
        }
        ServiceIcon::Trees => {
            "M10 10v.2A3 3 0 0 1 8.9 16H5a3 3 0 0 1-1-5.8V10a3 3 0 0 1 6 0M7 16v6M13 19v3M12 19h8.3a1 1 0 0 0 .7-1.7L18 14h.3a1 1 0 0 0 .7-1.7L16 9h.2a1 1 0 0 0 .8-1.7L13 3l-1.4 1.5"
        }
        ServiceIcon::Landmark => "M12 2l8 5H4ZM6 18v-7M10 18v-7M14 18v-7M18 18v-7M3 22h18",
    }
}

#[component]
pub fn Icon(kind: IconKind) -> impl IntoView {
    let fill = if kind == IconKind::StarFilled {
        "currentColor"
    } else {
        "none"
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"
            fill=fill stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d=kind.path() />
        </svg>
    }
}

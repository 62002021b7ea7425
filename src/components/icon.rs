//! Inline SVG icons: no icon font, no request leaves the page. Always decorative
//! (`aria-hidden`): the text beside them carries the meaning.

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
        }
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

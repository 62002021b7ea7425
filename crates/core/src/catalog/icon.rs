//! The icons a catalog may give its categories, by name (`"icon": "id-card"`). The app draws each
//! one as an inline SVG (`src/components/icon.rs`, from the Lucide set), so a tile looks the same
//! on every phone; an emoji would depend on the phone's fonts and shows as an empty box where
//! there is none. A name not listed here makes the catalog invalid: serde's error names the value
//! and lists the known ones, so a typo is caught when the server starts or the catalog loads.

use crate::named::Named;

/// Written by name (`"id-card"`, see [`Named`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(rename_all = "kebab-case")
)]
pub enum ServiceIcon {
    Briefcase,
    Building,
    GraduationCap,
    Handshake,
    Hospital,
    IdCard,
    Landmark,
    Lightbulb,
    PiggyBank,
    Pill,
    Receipt,
    Scale,
    ShieldCheck,
    ShoppingBag,
    Siren,
    Ticket,
    TrainFront,
    Trees,
    Users,
}

crate::named_serde!(ServiceIcon);

impl Named for ServiceIcon {
    const WHAT: &'static str = "icon";
    const TABLE: &'static [(ServiceIcon, &'static str)] = &[
        (ServiceIcon::Briefcase, "briefcase"),
        (ServiceIcon::Building, "building"),
        (ServiceIcon::GraduationCap, "graduation-cap"),
        (ServiceIcon::Handshake, "handshake"),
        (ServiceIcon::Hospital, "hospital"),
        (ServiceIcon::IdCard, "id-card"),
        (ServiceIcon::Landmark, "landmark"),
        (ServiceIcon::Lightbulb, "lightbulb"),
        (ServiceIcon::PiggyBank, "piggy-bank"),
        (ServiceIcon::Pill, "pill"),
        (ServiceIcon::Receipt, "receipt"),
        (ServiceIcon::Scale, "scale"),
        (ServiceIcon::ShieldCheck, "shield-check"),
        (ServiceIcon::ShoppingBag, "shopping-bag"),
        (ServiceIcon::Siren, "siren"),
        (ServiceIcon::Ticket, "ticket"),
        (ServiceIcon::TrainFront, "train-front"),
        (ServiceIcon::Trees, "trees"),
        (ServiceIcon::Users, "users"),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::named::Named;

    #[test]
    fn every_icon_has_a_kebab_case_name_that_round_trips() {
        for &(icon, _) in ServiceIcon::TABLE {
            let name = serde_json::to_value(icon).unwrap();
            let name = name.as_str().unwrap();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name}"
            );
            assert_eq!(
                serde_json::from_value::<ServiceIcon>(name.into()).unwrap(),
                icon
            );
        }
        assert_eq!(
            serde_json::to_value(ServiceIcon::IdCard).unwrap(),
            "id-card"
        );
    }
}

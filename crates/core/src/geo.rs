//! Coordinates and walking distance, for the 15-minute community life circle.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Which coordinate is off the globe. The value itself is not in the message: formatting a float
/// costs the browser bundle's first load about 4 KB gzip (the catalog's points are read there),
/// and the parse error already says where in the document it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum GeoError {
    #[error("latitude must be between -90 and 90")]
    Latitude,
    #[error("longitude must be between -180 and 180")]
    Longitude,
}

/// A WGS-84 point. Constructed only through [`LatLng::new`], so it is always on the globe.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawLatLng")]
pub struct LatLng {
    lat: f64,
    lng: f64,
}

#[derive(Deserialize)]
struct RawLatLng {
    lat: f64,
    lng: f64,
}

impl TryFrom<RawLatLng> for LatLng {
    type Error = GeoError;
    fn try_from(raw: RawLatLng) -> Result<Self, GeoError> {
        LatLng::new(raw.lat, raw.lng)
    }
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Streets are not straight lines: urban walking routes average about 1.3× the straight-line
/// distance (the "detour index" in the walkability literature).
pub const DETOUR_FACTOR: f64 = 1.3;
/// 4.5 km/h, a comfortable pace that also suits older residents.
pub const WALKING_METRES_PER_MINUTE: f64 = 75.0;

impl LatLng {
    pub fn new(lat: f64, lng: f64) -> Result<Self, GeoError> {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::Latitude);
        }
        if !(-180.0..=180.0).contains(&lng) {
            return Err(GeoError::Longitude);
        }
        Ok(LatLng { lat, lng })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lng(self) -> f64 {
        self.lng
    }

    /// Straight-line distance in metres, for places within a city: the equirectangular
    /// projection, within 0.1 % of the great-circle distance below 100 km. It needs no
    /// trigonometry from the maths library, whose software sine and arcsine would add kilobytes
    /// to the browser bundle for a figure that a walking estimate then multiplies by 1.3.
    pub fn straight_line_m(self, other: LatLng) -> f64 {
        let mid_lat = ((self.lat + other.lat) / 2.0).to_radians();
        let mut dl = other.lng - self.lng;
        if dl > 180.0 {
            dl -= 360.0;
        } else if dl < -180.0 {
            dl += 360.0;
        }
        let x = dl.to_radians() * cos_small(mid_lat);
        let y = (other.lat - self.lat).to_radians();
        EARTH_RADIUS_M * (x * x + y * y).sqrt()
    }

    /// Estimated walking distance in whole metres.
    pub fn walking_m(self, other: LatLng) -> u32 {
        (self.straight_line_m(other) * DETOUR_FACTOR).round() as u32
    }
}

/// cos(x) for |x| ≤ π/2 (a latitude), by its Taylor series to x¹⁶: error below 1e-12.
fn cos_small(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=8 {
        let k = (2 * n) as f64;
        term *= -x2 / ((k - 1.0) * k);
        sum += term;
    }
    sum
}

/// Minutes on foot for a walking distance, rounded up (never "0 minutes" for a place you must walk to).
pub fn walking_minutes(walking_m: u32) -> u32 {
    ((walking_m as f64) / WALKING_METRES_PER_MINUTE)
        .ceil()
        .max(1.0) as u32
}

/// Indices of `points` with their walking distance from `from`, nearest first; ties keep input order.
pub fn by_walking_distance(from: LatLng, points: &[LatLng]) -> Vec<(usize, u32)> {
    let metres: Vec<u32> = points.iter().map(|p| from.walking_m(*p)).collect();
    crate::order::sorted_indices(points.len(), &mut |a, b| metres[a].cmp(&metres[b]))
        .into_iter()
        .map(|i| (i, metres[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The great-circle distance, with the maths library (fine natively, in tests).
    fn haversine_m(a: LatLng, b: LatLng) -> f64 {
        let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
        let dl = (b.lng - a.lng).to_radians();
        let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
    }

    proptest! {
        #[test]
        fn within_a_city_the_distance_is_within_a_thousandth_of_the_great_circle(
            lat in -60.0f64..60.0, lng in -179.0f64..179.0,
            dlat in -0.5f64..0.5, dlng in -0.5f64..0.5,
        ) {
            let a = LatLng::new(lat, lng).unwrap();
            let b = LatLng::new(lat + dlat, lng + dlng).unwrap();
            let exact = haversine_m(a, b);
            let ours = a.straight_line_m(b);
            prop_assert!((ours - exact).abs() <= exact * 1e-3 + 0.01, "{ours} vs {exact}");
        }
    }

    #[test]
    fn the_cosine_series_matches_the_library() {
        for i in -90..=90 {
            let x = (i as f64).to_radians();
            assert!((cos_small(x) - x.cos()).abs() < 1e-12, "{i}°");
        }
    }

    #[test]
    fn crossing_the_date_line_is_short() {
        let west = LatLng::new(0.0, 179.9).unwrap();
        let east = LatLng::new(0.0, -179.9).unwrap();
        assert!((west.straight_line_m(east) - haversine_m(west, east)).abs() < 1.0);
    }

    #[test]
    fn refuses_points_off_the_globe() {
        assert_eq!(LatLng::new(91.0, 0.0), Err(GeoError::Latitude));
        assert_eq!(LatLng::new(0.0, -181.0), Err(GeoError::Longitude));
        assert!(LatLng::new(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn one_kilometre_north_is_about_1300_walking_metres() {
        let a = LatLng::new(30.6300, 104.0600).unwrap();
        let b = LatLng::new(30.6300 + 1000.0 / 111_195.0, 104.0600).unwrap();
        let straight = a.straight_line_m(b);
        assert!(
            (straight - 1000.0).abs() < 2.0,
            "straight line was {straight}"
        );
        assert_eq!(a.walking_m(b), 1300);
        assert_eq!(walking_minutes(1300), 18);
        assert_eq!(walking_minutes(0), 1);
    }

    #[test]
    fn sorts_nearest_first() {
        let home = LatLng::new(30.63, 104.06).unwrap();
        let far = LatLng::new(30.70, 104.10).unwrap();
        let near = LatLng::new(30.631, 104.061).unwrap();
        let order: Vec<usize> = by_walking_distance(home, &[far, near, home])
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        assert_eq!(order, vec![2, 1, 0]);
    }

    proptest! {
        #[test]
        fn distance_is_symmetric_and_non_negative(
            a in (-89.0f64..89.0, -179.0f64..179.0),
            b in (-89.0f64..89.0, -179.0f64..179.0),
        ) {
            let a = LatLng::new(a.0, a.1).unwrap();
            let b = LatLng::new(b.0, b.1).unwrap();
            let d1 = a.straight_line_m(b);
            let d2 = b.straight_line_m(a);
            prop_assert!(d1 >= 0.0);
            prop_assert!((d1 - d2).abs() < 1e-6);
        }
    }
}

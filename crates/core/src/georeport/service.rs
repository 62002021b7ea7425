//! Filled by the GeoReport client work (issue 14).

//! Filled by the GeoReport server work (issue 14).

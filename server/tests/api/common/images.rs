//! Images built in the tests, byte by byte: the server reads their headers and containers (sizes,
//! segments, chunks) but never their pixels, so the structure must be right and the compressed
//! data may be anything.

/// A JPEG of exactly `size` bytes as a camera lays one out: SOI, a JFIF APP0, a baseline frame
/// header (SOF0, 16 × 16 px, three components), a scan header, scan data (any bytes but 0xFF,
/// which scan data escapes), EOI. `seed` varies the data.
pub fn jpeg(size: usize, seed: u8) -> Vec<u8> {
    jpeg_sized(size, seed, 16, 16)
}

/// [`jpeg`] whose frame header claims `width` × `height` pixels.
pub fn jpeg_sized(size: usize, seed: u8, width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, // SOI
        0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00, // APP0 JFIF
        0xFF, 0xC0, 0x00, 0x11, 0x08, // SOF0, 8-bit samples
    ];
    bytes.extend(height.to_be_bytes());
    bytes.extend(width.to_be_bytes());
    bytes.extend([0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    // SOS: three components, full spectral range.
    bytes.extend([
        0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00,
    ]);
    let data = size.saturating_sub(bytes.len() + 2);
    bytes.extend(
        (0..data).map(|i| match (i as u8).wrapping_mul(31).wrapping_add(seed) {
            0xFF => 0xFE,
            b => b,
        }),
    );
    bytes.extend([0xFF, 0xD9]);
    bytes
}

/// The CRC-32 a PNG chunk ends with (over its type and data).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One PNG chunk: length, type, data, CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend(kind);
    chunk.extend(data);
    let mut checked = kind.to_vec();
    checked.extend(data);
    chunk.extend(crc32(&checked).to_be_bytes());
    chunk
}

/// A PNG's signature and IHDR claiming `width` × `height` (8-bit RGB), then `rest` (more chunks).
pub fn png_sized(width: u32, height: u32, rest: &[u8]) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    bytes.extend(png_chunk(b"IHDR", &ihdr));
    bytes.extend(rest);
    bytes
}

/// The signature and IHDR chunk of a 1×1 PNG.
pub fn png() -> Vec<u8> {
    png_sized(1, 1, &[])
}

/// A lossy WebP: the RIFF header, then a VP8 chunk whose key-frame header says `width` ×
/// `height`, and some data.
pub fn webp_sized(width: u16, height: u16) -> Vec<u8> {
    let mut vp8 = vec![0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A];
    vp8.extend(width.to_le_bytes());
    vp8.extend(height.to_le_bytes());
    vp8.extend([0u8; 10]);
    let mut bytes = b"RIFF".to_vec();
    bytes.extend(((4 + 8 + vp8.len()) as u32).to_le_bytes());
    bytes.extend(b"WEBPVP8 ");
    bytes.extend((vp8.len() as u32).to_le_bytes());
    bytes.extend(vp8);
    bytes
}

pub fn webp() -> Vec<u8> {
    webp_sized(16, 16)
}

//! What the server reads and cuts out of an uploaded image without decoding its pixels: its size,
//! from the header alone (`imagesize`), and its metadata (EXIF with GPS, XMP, comments), removed
//! container-level with `img-parts` so the compressed pixels are kept byte for byte.

use axum::body::Bytes;
use citizen_core::requests::PhotoKind;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::Png;
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{CHUNK_EXIF, CHUNK_VP8X, CHUNK_XMP, WebP};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImageError {
    #[error("the image's header cannot be read")]
    Header,
    #[error("the image's structure cannot be read")]
    Structure,
}

/// Width and height as the header claims them; no pixel is decoded or allocated.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), ImageError> {
    let size = imagesize::blob_size(bytes).map_err(|_| ImageError::Header)?;
    let side = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((side(size.width), side(size.height)))
}

/// The image without its metadata: what a camera or phone writes beside the pixels (EXIF and its
/// GPS block, XMP, IPTC, comments, timestamps, embedded thumbnails and trailing images). Colour
/// profiles and everything needed to show the pixels are kept unchanged.
pub fn strip(kind: PhotoKind, bytes: Bytes) -> Result<Vec<u8>, ImageError> {
    let out = match kind {
        PhotoKind::Jpeg => strip_jpeg(bytes)?,
        PhotoKind::Png => strip_png(bytes)?,
        PhotoKind::Webp => strip_webp(bytes)?,
    };
    Ok(out)
}

/// APP0 (JFIF), APP2 when it is an ICC profile, and APP14 (Adobe: how to read the colours) are
/// kept; every other APPn (APP1 EXIF and XMP, APP2 FlashPix and MPF, APP13 IPTC…) and every
/// comment goes.
fn jpeg_keeps(segment: &JpegSegment) -> bool {
    keeps_marker(segment.marker(), segment.contents())
}

fn keeps_marker(marker: u8, contents: &[u8]) -> bool {
    match marker {
        markers::APP0 | markers::APP14 => true,
        markers::APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        markers::APP1..=markers::APP15 | markers::COM => false,
        _ => true,
    }
}

fn strip_jpeg(bytes: Bytes) -> Result<Vec<u8>, ImageError> {
    let mut jpeg = Jpeg::from_bytes(bytes).map_err(|_| ImageError::Structure)?;
    jpeg.segments_mut().retain(jpeg_keeps);
    // img-parts keeps everything after the first scan's header as that scan's "entropy": later
    // scans (progressive JPEGs), segments between them, the end marker and whatever trails it
    // (a phone's MPF images, each with its own EXIF). Clean that part too.
    if let Some(sos) = jpeg
        .segments_mut()
        .iter_mut()
        .find(|s| s.marker() == markers::SOS)
    {
        let (marker, contents) = (sos.marker(), sos.contents().clone());
        let rest = clean_after_first_scan(sos_entropy(sos))?;
        *sos = JpegSegment::new_with_entropy(marker, contents, Bytes::from(rest));
    }
    let mut out = Vec::with_capacity(jpeg.len());
    jpeg.encoder()
        .write_to(&mut out)
        .map_err(|_| ImageError::Structure)?;
    Ok(out)
}

/// The bytes img-parts keeps after a scan's header (its encoder writes the header, then these).
fn sos_entropy(sos: &JpegSegment) -> Bytes {
    let whole = sos.clone().encoder().bytes();
    whole.slice(sos.len().min(whole.len())..)
}

/// From the first scan's data to the image's end marker (included): scan data as it is, tables
/// and further scans kept, APPn and comments dropped, nothing after the end marker.
fn clean_after_first_scan(rest: Bytes) -> Result<Vec<u8>, ImageError> {
    let b = rest.as_ref();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != 0xFF {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let Some(&marker) = b.get(i + 1) else {
            return Err(ImageError::Structure);
        };
        match marker {
            // A stuffed 0xFF in scan data, a restart marker, or fill bytes.
            0x00 | markers::RST0..=markers::RST7 | 0xFF => {
                out.push(0xFF);
                if marker != 0xFF {
                    out.push(marker);
                    i += 2;
                } else {
                    i += 1;
                }
            }
            markers::EOI => {
                out.extend_from_slice(&[0xFF, markers::EOI]);
                return Ok(out);
            }
            _ => {
                // A segment with a length: a table, another scan's header, or metadata.
                let len = b
                    .get(i + 2..i + 4)
                    .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                    .filter(|&l| l >= 2)
                    .ok_or(ImageError::Structure)?;
                let end = i + 2 + len;
                let segment = b.get(i..end).ok_or(ImageError::Structure)?;
                if keeps_marker(marker, &segment[4..]) {
                    out.extend_from_slice(segment);
                }
                i = end;
            }
        }
    }
    // No end marker: a truncated file; keep what there is, as a browser would show it.
    out.extend_from_slice(&[0xFF, markers::EOI]);
    Ok(out)
}

/// Text chunks (where XMP lives), eXIf and the modification time go; pixels, palette,
/// transparency, colour and physical size stay.
fn strip_png(bytes: Bytes) -> Result<Vec<u8>, ImageError> {
    let mut png = Png::from_bytes(bytes).map_err(|_| ImageError::Structure)?;
    png.chunks_mut()
        .retain(|c| !matches!(&c.kind(), b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"));
    let mut out = Vec::with_capacity(png.len());
    png.encoder()
        .write_to(&mut out)
        .map_err(|_| ImageError::Structure)?;
    Ok(out)
}

/// The VP8X header's flags: which optional chunks the file has.
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

/// The EXIF and XMP chunks go, and the VP8X header stops announcing them (img-parts' own
/// `set_exif` would rewrite the header from a guess that drops alpha and animation flags).
fn strip_webp(bytes: Bytes) -> Result<Vec<u8>, ImageError> {
    let mut webp = WebP::from_bytes(bytes).map_err(|_| ImageError::Structure)?;
    webp.remove_chunks_by_id(CHUNK_EXIF);
    webp.remove_chunks_by_id(CHUNK_XMP);
    for chunk in webp.chunks_mut().iter_mut() {
        if chunk.id() != CHUNK_VP8X {
            continue;
        }
        let Some(data) = chunk.content().data() else {
            return Err(ImageError::Structure);
        };
        let mut header = data.to_vec();
        if let Some(flags) = header.first_mut() {
            *flags &= !(VP8X_EXIF | VP8X_XMP);
        }
        *chunk = RiffChunk::new(CHUNK_VP8X, RiffContent::Data(Bytes::from(header)));
    }
    let mut out = Vec::with_capacity(webp.len() as usize);
    webp.encoder()
        .write_to(&mut out)
        .map_err(|_| ImageError::Structure)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xFF, marker];
        bytes.extend(((contents.len() + 2) as u16).to_be_bytes());
        bytes.extend(contents);
        bytes
    }

    const SOF0: [u8; 15] = [8, 0, 16, 0, 16, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    const SOS: [u8; 10] = [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0];

    /// A JPEG from its parts: SOI, `head` segments, a scan header, `scans` (data and whatever
    /// follows the first scan), EOI, then `trailer`.
    fn jpeg(head: &[Vec<u8>], scans: &[u8], trailer: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        head.iter().for_each(|s| bytes.extend(s));
        bytes.extend(segment(markers::SOF0, &SOF0));
        bytes.extend(segment(markers::SOS, &SOS));
        bytes.extend(scans);
        bytes.extend([0xFF, 0xD9]);
        bytes.extend(trailer);
        bytes
    }

    fn strip_bytes(kind: PhotoKind, bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
        strip(kind, Bytes::copy_from_slice(bytes))
    }

    #[test]
    fn a_jpeg_keeps_jfif_icc_adobe_tables_and_scans_and_loses_the_rest() {
        let jfif = segment(markers::APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let icc = segment(markers::APP2, b"ICC_PROFILE\0\x01\x01profile");
        let adobe = segment(markers::APP14, b"Adobe\0\x64\0\0\0\0\x01");
        let dqt = segment(markers::DQT, &[0; 65]);
        let exif = segment(markers::APP1, b"Exif\0\0MM\0\x2a\0\0\0\x08GPS");
        let xmp = segment(markers::APP1, b"http://ns.adobe.com/xap/1.0/\0<gps/>");
        let mpf = segment(markers::APP2, b"MPF\0index");
        let iptc = segment(markers::APP13, b"Photoshop 3.0\0location");
        let comment = segment(markers::COM, b"taken at home");
        // Scan data with a stuffed 0xFF and a restart marker; a second scan after a table;
        // an APP1 hidden between the scans.
        let mut scans = vec![0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56];
        let dht = segment(markers::DHT, &[0x10; 20]);
        scans.extend(&dht);
        scans.extend(segment(markers::APP1, b"Exif\0\0hidden"));
        scans.extend(segment(markers::SOS, &SOS));
        scans.extend([0x78, 0x9A]);
        // After EOI: a phone's second image, with its own EXIF.
        let trailer = jpeg(std::slice::from_ref(&exif), &[1, 2, 3], &[]);

        let tagged = jpeg(
            &[
                jfif.clone(),
                exif,
                icc.clone(),
                xmp,
                mpf,
                dqt.clone(),
                iptc,
                comment,
                adobe.clone(),
            ],
            &scans,
            &trailer,
        );
        let mut clean_scans = vec![0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56];
        clean_scans.extend(&dht);
        clean_scans.extend(segment(markers::SOS, &SOS));
        clean_scans.extend([0x78, 0x9A]);
        let clean = jpeg(&[jfif, icc, dqt, adobe], &clean_scans, &[]);
        assert_eq!(strip_bytes(PhotoKind::Jpeg, &tagged), Ok(clean.clone()));
        assert_eq!(
            strip_bytes(PhotoKind::Jpeg, &clean),
            Ok(clean),
            "idempotent"
        );
    }

    #[test]
    fn a_png_loses_its_text_exif_and_time_chunks() {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
                }
            }
            !crc
        }
        fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend(kind);
            c.extend(data);
            c.extend(crc32(&[kind.as_slice(), data].concat()).to_be_bytes());
            c
        }
        let sig = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        let keep = [
            chunk(b"iCCP", b"p\0\0x"),
            chunk(b"pHYs", &[0; 9]),
            chunk(b"IDAT", b"x"),
        ];
        let drop = [
            chunk(b"eXIf", b"MM\0*gps"),
            chunk(b"tEXt", b"Comment\0home"),
            chunk(b"zTXt", b"a\0\0z"),
            chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<gps/>"),
            chunk(b"tIME", &[0; 7]),
        ];
        let iend = chunk(b"IEND", b"");
        let tagged: Vec<u8> = [sig.clone(), ihdr.clone()]
            .into_iter()
            .chain(drop.iter().cloned())
            .chain(keep.iter().cloned())
            .chain([iend.clone()])
            .flatten()
            .collect();
        let clean: Vec<u8> = [sig, ihdr]
            .into_iter()
            .chain(keep.iter().cloned())
            .chain([iend])
            .flatten()
            .collect();
        assert_eq!(strip_bytes(PhotoKind::Png, &tagged), Ok(clean));
    }

    #[test]
    fn a_webp_loses_exif_and_xmp_and_its_header_stops_announcing_them() {
        fn chunk(id: &[u8; 4], data: &[u8]) -> Vec<u8> {
            let mut c = id.to_vec();
            c.extend((data.len() as u32).to_le_bytes());
            c.extend(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        }
        fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
            let body: Vec<u8> = chunks.concat();
            let mut bytes = b"RIFF".to_vec();
            bytes.extend(((4 + body.len()) as u32).to_le_bytes());
            bytes.extend(b"WEBP");
            bytes.extend(body);
            bytes
        }
        // Flags: ICC, alpha, EXIF, XMP; a 16 × 16 canvas.
        let vp8x = |flags: u8| chunk(b"VP8X", &[flags, 0, 0, 0, 15, 0, 0, 15, 0, 0]);
        let iccp = chunk(b"ICCP", b"profile");
        let alph = chunk(b"ALPH", b"alpha");
        let vp8 = chunk(b"VP8 ", &[0x30, 1, 0, 0x9D, 1, 0x2A, 16, 0, 16, 0, 0, 0]);
        let exif = chunk(b"EXIF", b"MM\0*gps");
        let xmp = chunk(b"XMP ", b"<gps/>");
        let tagged = riff(&[
            vp8x(0x3C),
            iccp.clone(),
            alph.clone(),
            vp8.clone(),
            exif,
            xmp,
        ]);
        let clean = riff(&[vp8x(0x30), iccp, alph, vp8]);
        assert_eq!(strip_bytes(PhotoKind::Webp, &tagged), Ok(clean));
    }

    #[test]
    fn sizes_come_from_the_header() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x1f\x41\0\0\0\x0a\x08\x02\0\0\0";
        assert_eq!(dimensions(png), Ok((8001, 10)));
        let jpeg = jpeg(&[], &[1, 2, 3], &[]);
        assert_eq!(dimensions(&jpeg), Ok((16, 16)));
        assert_eq!(dimensions(b"\x89PNG\r\n\x1a\n"), Err(ImageError::Header));
    }

    /// Mutated and truncated images are refused or cleaned, never a panic (in a release build a
    /// panic would end the server).
    #[test]
    fn damaged_images_never_panic() {
        let jfif = segment(markers::APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let seeds: Vec<(PhotoKind, Vec<u8>)> = vec![
            (
                PhotoKind::Jpeg,
                jpeg(&[jfif, segment(markers::APP1, b"Exif\0\0MM")], &[1, 0xFF, 0, 2], &[9]),
            ),
            (
                PhotoKind::Png,
                b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\0\0\0\0\0\0\0\x04eXIfMM\0*\0\0\0\0".to_vec(),
            ),
            (
                PhotoKind::Webp,
                b"RIFF\x2c\0\0\0WEBPVP8X\x0a\0\0\0\x08\0\0\0\x0f\0\0\x0f\0\0EXIF\x02\0\0\0MM".to_vec(),
            ),
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (kind, seed) in seeds {
            for _ in 0..3000 {
                let mut bytes = seed.clone();
                match next() % 3 {
                    0 => bytes.truncate((next() as usize) % (bytes.len() + 1)),
                    1 => {
                        for _ in 0..1 + next() % 4 {
                            let at = (next() as usize) % bytes.len();
                            bytes[at] = next() as u8;
                        }
                    }
                    _ => {
                        let at = (next() as usize) % bytes.len();
                        bytes.insert(at, [0xFF, 0x00, 0xD9, 0xE1][(next() % 4) as usize]);
                    }
                }
                let _ = dimensions(&bytes);
                let _ = strip_bytes(kind, &bytes);
            }
        }
    }
}

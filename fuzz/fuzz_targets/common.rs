//! What the targets share: how an input chooses an action type and cuts its bytes.

#![allow(dead_code)]

use mass_updater_domain::ActionType;

/// The action type a byte chooses: one of the six, or none (left to detection).
pub fn chosen(byte: u8) -> Option<ActionType> {
    ActionType::ALL
        .get(usize::from(byte) % (ActionType::ALL.len() + 1))
        .copied()
}

/// Cuts `data` into chunks whose sizes follow from `seed`: some runs of one-byte
/// chunks, some of a few bytes, some large, so that every boundary a real reader can
/// produce (inside a quote, between CR and LF, inside the byte order mark) is met.
pub fn chunks(data: &[u8], seed: u8) -> Vec<&[u8]> {
    let mut state = u32::from(seed).wrapping_mul(0x9E37_79B9) | 1;
    let largest = 1usize << (seed % 13);
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let size = (state as usize % largest).max(1).min(rest.len());
        let (head, tail) = rest.split_at(size);
        out.push(head);
        rest = tail;
    }
    out
}

/// The first `n` bytes as settings, the rest as data; missing settings are zero.
pub fn split_settings<const N: usize>(data: &[u8]) -> ([u8; N], &[u8]) {
    let mut settings = [0u8; N];
    let n = N.min(data.len());
    settings[..n].copy_from_slice(&data[..n]);
    (settings, &data[n..])
}

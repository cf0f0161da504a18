//! Where the generators' decisions come from: the fuzzer's bytes ([`Choices`]) or a seeded
//! xorshift64* generator ([`Rng`]). Both are a stream of bytes read through [`Source`], so every
//! generator and the emitter run on either.

/// A stream of decisions.
pub trait Source {
    /// The next byte of the stream.
    fn byte(&mut self) -> u8;

    /// A number in 0..n (0 when n is 0 or 1, without reading).
    fn below(&mut self, n: usize) -> usize {
        match n {
            0 | 1 => 0,
            2..=256 => self.byte() as usize % n,
            _ => ((self.byte() as usize) << 8 | self.byte() as usize) % n,
        }
    }

    /// True with probability about k/256 (never on a zero byte: a used-up [`Choices`] says no).
    fn chance(&mut self, k: u8) -> bool {
        let b = self.byte();
        b != 0 && b <= k
    }

    /// True with probability `p`/100.
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    /// One of `items` (which must not be empty).
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The fuzzer's bytes read as a stream of decisions; once used up every byte is 0, which means
/// "do nothing" (the first choice, no chance taken), so a short input is a small one.
pub struct Choices<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Choices { data, pos: 0 }
    }
}

impl Source for Choices<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
}

/// xorshift64*: small, seeded, reproducible, no dependency.
pub struct Rng(pub u64);

impl Rng {
    /// A generator from any seed (scrambled, never the all-zero state xorshift cannot leave).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }

    /// A random version-4 UUID.
    pub fn uuid(&mut self) -> String {
        format!("{}-{}-4{}-8{}-{}", self.hex(8), self.hex(4), self.hex(3), self.hex(3), self.hex(12))
    }

    /// `n` lowercase hexadecimal digits.
    pub fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from_digit(self.below(16) as u32, 16).unwrap()).collect()
    }
}

impl Source for Rng {
    fn byte(&mut self) -> u8 {
        (self.next_u64() >> 56) as u8
    }

    /// The whole range of `usize` (not two bytes' worth).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

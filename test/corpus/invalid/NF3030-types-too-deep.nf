// expect NF3030 at 11:6
// User types nest at most 32 levels (struct fields of struct fields).
nf deep on xdp
type T0 { a: T1, b: u8 }
type T1 { a: T2, b: u8 }
type T2 { a: T3, b: u8 }
type T3 { a: T4, b: u8 }
type T4 { a: T5, b: u8 }
type T5 { a: T6, b: u8 }
type T6 { a: T7, b: u8 }
type T7 { a: T8, b: u8 }
type T8 { a: T9, b: u8 }
type T9 { a: T10, b: u8 }
type T10 { a: T11, b: u8 }
type T11 { a: T12, b: u8 }
type T12 { a: T13, b: u8 }
type T13 { a: T14, b: u8 }
type T14 { a: T15, b: u8 }
type T15 { a: T16, b: u8 }
type T16 { a: T17, b: u8 }
type T17 { a: T18, b: u8 }
type T18 { a: T19, b: u8 }
type T19 { a: T20, b: u8 }
type T20 { a: T21, b: u8 }
type T21 { a: T22, b: u8 }
type T22 { a: T23, b: u8 }
type T23 { a: T24, b: u8 }
type T24 { a: T25, b: u8 }
type T25 { a: T26, b: u8 }
type T26 { a: T27, b: u8 }
type T27 { a: T28, b: u8 }
type T28 { a: T29, b: u8 }
type T29 { a: T30, b: u8 }
type T30 { a: T31, b: u8 }
type T31 { a: T32, b: u8 }
type T32 { a: T33, b: u8 }
type T33 { a: T34, b: u8 }
type T34 { a: T35, b: u8 }
type T35 { a: T36, b: u8 }
type T36 { a: T37, b: u8 }
type T37 { a: T38, b: u8 }
type T38 { a: T39, b: u8 }
type T39 { a: u32, b: u8 }
table t: hash<u32, T0>(capacity = 4)
on packet { pass }

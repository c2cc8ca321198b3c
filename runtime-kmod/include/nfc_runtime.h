/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfc_runtime.h — the ONE contract between the nfc_runtime kernel module and BPF programs.
 *
 * Included by the module (with __KERNEL__ defined: plain prototypes the definitions must match)
 * and by BPF programs (after vmlinux.h and <bpf/bpf_helpers.h>: `extern ... __ksym` kfunc
 * declarations). Scalar types are the uapi __u32/__u64, which both sides have.
 *
 * ABI: bump NFC_RT_ABI_VERSION on any incompatible change (a removed kfunc, a changed argument,
 * changed semantics). Adding a kfunc is compatible: a program that needs it fails to load on an
 * older module with "failed to find kernel BTF type ID of '<name>'" — probe the version first.
 * The enum lands in the module's BTF (/sys/kernel/btf/nfc_runtime), so a loader can read the
 * version without loading any program, and a BPF program can read it with
 * bpf_core_enum_value(enum nfc_rt_abi, NFC_RT_ABI_VERSION) (CO-RE relocates against module BTF).
 *
 * Argument constraints are enforced by the verifier from BTF: a pointer followed by an argument
 * whose name ends in `__sz` is a (memory, length) pair — the pointer may be packet, stack or
 * map-value memory and the verifier proves [ptr, ptr+len) readable; the length must be a known
 * or bounded scalar. Do not rename `__sz` parameters: the suffix IS the contract.
 */
#ifndef NFC_RUNTIME_H
#define NFC_RUNTIME_H

/* Version of this contract. Module and BPF side must agree; see the header comment. */
enum nfc_rt_abi {
	NFC_RT_ABI_VERSION = 1,
};

/* Bits returned by nfc_rt_features(): which implementation the module chose at load time. */
enum nfc_rt_feature {
	NFC_RT_F_CRC32C_HW = 1 << 0, /* SSE4.2 crc32 instruction (integer unit; no FPU state) */
	NFC_RT_F_POPCNT_HW = 1 << 1, /* POPCNT instruction (via the kernel's hweight64 alternative) */
	NFC_RT_F_AVX2 = 1 << 2,      /* AVX2 present; SIMD kfuncs must bracket use with kernel_fpu_* */
};

#ifdef __KERNEL__
#include <linux/types.h>
#define NFC_KFUNC(ret, name, ...) ret name(__VA_ARGS__)
#else
#ifndef __ksym
#error "include <bpf/bpf_helpers.h> before nfc_runtime.h"
#endif
#define NFC_KFUNC(ret, name, ...) extern ret name(__VA_ARGS__) __ksym
#endif

/**
 * nfc_rt_abi_version() - the module's contract version.
 *
 * Return: NFC_RT_ABI_VERSION as compiled into the module. No arguments.
 */
NFC_KFUNC(__u32, nfc_rt_abi_version, void);

/**
 * nfc_rt_features() - implementation choices made at module load.
 *
 * Return: a mask of enum nfc_rt_feature bits. Results of every kfunc are identical whichever
 * bits are set; the mask exists so tests can prove both the hardware and the fallback path ran.
 */
NFC_KFUNC(__u32, nfc_rt_features, void);

/**
 * nfc_rt_popcnt64() - number of set bits in a 64-bit word.
 * @x: any value.
 *
 * Return: 0..64. Uses POPCNT when the CPU has it, a table-free software count otherwise.
 */
NFC_KFUNC(__u64, nfc_rt_popcnt64, __u64 x);

/**
 * nfc_rt_crc32c() - CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) over a buffer.
 * @seed: running CRC; any value. NO pre/post inversion is applied (same as the SSE4.2 crc32
 *        instruction and Linux crc32c()): the standard check value is
 *        ~nfc_rt_crc32c(~0U, "123456789", 9) == 0xE3069283.
 * @buf: packet, stack or map-value memory, readable for @buf__sz bytes (verifier-checked).
 * @buf__sz: length in bytes; a constant or a bounded scalar; 0 returns @seed unchanged.
 *
 * Return: the updated CRC. Uses the crc32 instruction when SSE4.2 is present (8 bytes per step),
 * a 256-entry table otherwise; both give identical results.
 */
NFC_KFUNC(__u32, nfc_rt_crc32c, __u32 seed, const void *buf, __u32 buf__sz);

#undef NFC_KFUNC
#endif /* NFC_RUNTIME_H */

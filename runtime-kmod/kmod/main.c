// SPDX-License-Identifier: GPL-2.0
/*
 * main.c — nfc_runtime module: load-time checks, feature detection, kfunc registration for
 * XDP and TC (BPF_PROG_TYPE_SCHED_CLS), the ABI version, and the live-object counter.
 * Adding a kfunc: prototype + kernel-doc in include/nfc_runtime.h, definition between
 * NFC_KFUNC_DEFS_START/END in some .c file, one BTF_ID_FLAGS line below, a selftest.
 */
#include <linux/bpf.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/stringify.h>
#include <asm/cpufeature.h>
#include <nfc_runtime.h>
#include "compat.h"
#include "internal.h"

atomic_long_t nfc_rt_live_objects = ATOMIC_LONG_INIT(0);
u32 nfc_rt_feature_mask __read_mostly;

/* Referenced so the compiler emits the enum into DWARF and pahole into module BTF: user space
 * probes /sys/kernel/btf/nfc_runtime for `enum nfc_rt_abi` without loading a program. */
const enum nfc_rt_abi nfc_rt_abi_marker __used = NFC_RT_ABI_VERSION;
const enum nfc_rt_feature nfc_rt_feature_marker __used = NFC_RT_F_CRC32C_HW;

static int ro_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static int live_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&nfc_rt_live_objects));
}

static int features_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "0x%x\n", nfc_rt_feature_mask);
}

static int abi_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", NFC_RT_ABI_VERSION);
}

static const struct kernel_param_ops live_ops = { .set = ro_set, .get = live_get };
static const struct kernel_param_ops features_ops = { .set = ro_set, .get = features_get };
static const struct kernel_param_ops abi_ops = { .set = ro_set, .get = abi_get };
module_param_cb(live_objects, &live_ops, NULL, 0444);
MODULE_PARM_DESC(live_objects, "objects currently owned by the module (read-only)");
module_param_cb(features, &features_ops, NULL, 0444);
MODULE_PARM_DESC(features, "enum nfc_rt_feature mask chosen at load (read-only)");
module_param_cb(abi_version, &abi_ops, NULL, 0444);
MODULE_PARM_DESC(abi_version, "NFC_RT_ABI_VERSION (read-only)");

NFC_KFUNC_DEFS_START;

__bpf_kfunc __u32 nfc_rt_abi_version(void)
{
	return NFC_RT_ABI_VERSION;
}

__bpf_kfunc __u32 nfc_rt_features(void)
{
	return nfc_rt_feature_mask;
}

NFC_KFUNC_DEFS_END;

/*
 * Flags, and why:
 *  (none)           pure functions of scalars and verifier-checked (mem, __sz) memory: the
 *                   verifier already proves every byte they touch; no object lifetime involved.
 *  KF_ACQUIRE       returns a new reference the program must release or store (bpf_kptr_xchg);
 *  | KF_RET_NULL    allocation / lookup can fail: the program must NULL-check before use.
 *  KF_RELEASE       consumes the program's reference (verifier forbids use after, and double
 *                   release).
 *  KF_TRUSTED_ARGS  object arguments must be acquired references (6.1: ref_obj_id != 0), never
 *                   pointers walked out of other objects or loaded directly from a map value.
 *                   On both kernels this applies to object pointers only, not to (mem, __sz).
 */
NFC_KFUNCS_START(nfc_rt_kfunc_ids)
BTF_ID_FLAGS(func, nfc_rt_abi_version)
BTF_ID_FLAGS(func, nfc_rt_features)
/* bit operations, cFFS (map-value words) */
BTF_ID_FLAGS(func, nfc_rt_popcnt64)
BTF_ID_FLAGS(func, nfc_rt_ffs64)
BTF_ID_FLAGS(func, nfc_rt_fls64)
BTF_ID_FLAGS(func, nfc_rt_cffs_first)
BTF_ID_FLAGS(func, nfc_rt_cffs_set)
BTF_ID_FLAGS(func, nfc_rt_cffs_clear)
BTF_ID_FLAGS(func, nfc_rt_cffs_pop)
/* hashing and fused multi-hash sketches */
BTF_ID_FLAGS(func, nfc_rt_crc32c)
BTF_ID_FLAGS(func, nfc_rt_hash64)
BTF_ID_FLAGS(func, nfc_rt_cms_add)
BTF_ID_FLAGS(func, nfc_rt_cms_estimate)
BTF_ID_FLAGS(func, nfc_rt_cs_update)
BTF_ID_FLAGS(func, nfc_rt_cs_estimate)
BTF_ID_FLAGS(func, nfc_rt_bloom_add)
BTF_ID_FLAGS(func, nfc_rt_bloom_test)
/* signature search */
BTF_ID_FLAGS(func, nfc_rt_sig16_mask)
BTF_ID_FLAGS(func, nfc_rt_sig16_find)
BTF_ID_FLAGS(func, nfc_rt_bucket_lookup)
/* geometric random pool */
BTF_ID_FLAGS(func, nfc_rt_geo_skip_of)
BTF_ID_FLAGS(func, nfc_rt_geo_next)
BTF_ID_FLAGS(func, nfc_rt_geo_sample)
/* large copy/compare */
BTF_ID_FLAGS(func, nfc_rt_memcpy)
BTF_ID_FLAGS(func, nfc_rt_memcmp)
/* list buckets */
BTF_ID_FLAGS(func, nfc_rt_lists_new, KF_ACQUIRE | KF_RET_NULL)
BTF_ID_FLAGS(func, nfc_rt_lists_release, KF_RELEASE)
BTF_ID_FLAGS(func, nfc_rt_lists_push, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_lists_pop, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_lists_peek, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_lists_len, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_lists_pop_first, KF_TRUSTED_ARGS)
/* memory wrapper */
BTF_ID_FLAGS(func, nfc_rt_mem_new, KF_ACQUIRE | KF_RET_NULL)
BTF_ID_FLAGS(func, nfc_rt_mem_release, KF_RELEASE)
BTF_ID_FLAGS(func, nfc_rt_mem_count, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_mem_slot, KF_ACQUIRE | KF_RET_NULL | KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_mem_clear, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_new, KF_ACQUIRE | KF_RET_NULL | KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_release, KF_RELEASE)
BTF_ID_FLAGS(func, nfc_rt_node_follow, KF_ACQUIRE | KF_RET_NULL | KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_park, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_connect, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_disconnect, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_unown, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_load, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nfc_rt_node_store, KF_TRUSTED_ARGS)
NFC_KFUNCS_END(nfc_rt_kfunc_ids)

static const struct btf_kfunc_id_set nfc_rt_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &nfc_rt_kfunc_ids,
};

/* Destructors: run by the kernel when a map holding one of these kptrs is freed. */
BTF_ID_LIST(nfc_rt_dtor_ids)
BTF_ID(struct, nfc_rt_mem)
BTF_ID(func, nfc_rt_mem_dtor)
BTF_ID(struct, nfc_rt_lists)
BTF_ID(func, nfc_rt_lists_dtor)

static int __init nfc_rt_init(void)
{
	int err;

	/* Without module BTF register_btf_kfunc_id_set() logs "missing module BTF" and returns 0:
	 * the module would load with no kfuncs. Refuse instead. */
	if (!THIS_MODULE->btf_data_size) {
		pr_err("nfc_runtime: module has no BTF (built without vmlinux/resolve_btfids?)\n");
		return -ENOENT;
	}

	if (boot_cpu_has(X86_FEATURE_XMM4_2))
		nfc_rt_feature_mask |= NFC_RT_F_CRC32C_HW;
	if (boot_cpu_has(X86_FEATURE_POPCNT))
		nfc_rt_feature_mask |= NFC_RT_F_POPCNT_HW;
	if (boot_cpu_has(X86_FEATURE_AVX2) && boot_cpu_has(X86_FEATURE_OSXSAVE))
		nfc_rt_feature_mask |= NFC_RT_F_AVX2;
	nfc_rt_crc32c_init();
	err = nfc_rt_mem_init();
	if (err)
		return err;

	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &nfc_rt_kfunc_set);
	if (!err)
		err = register_btf_kfunc_id_set(BPF_PROG_TYPE_SCHED_CLS, &nfc_rt_kfunc_set);
	if (err) {
		pr_err("nfc_runtime: register_btf_kfunc_id_set failed: %d\n", err);
		goto fail;
	}
	{
		const struct btf_id_dtor_kfunc dtors[] = {
			{ .btf_id = nfc_rt_dtor_ids[0], .kfunc_btf_id = nfc_rt_dtor_ids[1] },
			{ .btf_id = nfc_rt_dtor_ids[2], .kfunc_btf_id = nfc_rt_dtor_ids[3] },
		};

		err = register_btf_id_dtor_kfuncs(dtors, ARRAY_SIZE(dtors), THIS_MODULE);
		if (err) {
			pr_err("nfc_runtime: register_btf_id_dtor_kfuncs failed: %d\n", err);
			goto fail;
		}
	}
	pr_info("nfc_runtime: abi %d features 0x%x\n", NFC_RT_ABI_VERSION, nfc_rt_feature_mask);
	return 0;
fail:
	nfc_rt_mem_exit();
	return err;
}

static void __exit nfc_rt_exit(void)
{
	long live = atomic_long_read(&nfc_rt_live_objects);

	if (live)
		pr_err("nfc_runtime: %ld objects still live at unload\n", live);
	nfc_rt_mem_exit(); /* kmem_cache_destroy reports any node still allocated */
}

module_init(nfc_rt_init);
module_exit(nfc_rt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfc runtime: kfuncs for nfc-generated XDP/TC programs");
MODULE_VERSION(__stringify(NFC_RT_ABI));

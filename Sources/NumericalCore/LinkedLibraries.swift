import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which shared library provides a C symbol at run time: a check that GSL's BLAS calls
/// bind to OpenBLAS rather than to the slow reference `libgslcblas` that Debian's libgsl
/// also loads (the first definition in load order wins, and the executable links
/// OpenBLAS directly).
public enum LinkedLibraries {
    /// Whether the dynamic linker's global resolution of `symbol` (what GSL's calls bind
    /// to) is the definition inside the already-loaded library `library`.
    public static func resolves(_ symbol: String, to library: String) -> Bool {
        #if canImport(Glibc)
        guard let global = dlopen(nil, RTLD_NOW), let resolved = dlsym(global, symbol),
              let owner = dlopen(library, RTLD_NOW | RTLD_NOLOAD), let own = dlsym(owner, symbol) else { return false }
        return resolved == own
        #else
        return false
        #endif
    }

    /// C = A·B computed by GSL's `gsl_blas_dgemm` (row-major `[n, n]`): with
    /// ``resolves(_:to:)`` true for OpenBLAS for `cblas_dgemm`, this runs on OpenBLAS.
    public static func gslMatrixProduct(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        GSL.blasProduct(a, b, n: n)
    }
}

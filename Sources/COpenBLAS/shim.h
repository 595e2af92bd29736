// CBLAS from OpenBLAS.
//
// OpenBLAS's own <cblas.h> and GSL's <gsl/gsl_cblas.h> declare the same CBLAS enums
// differently, and GSL's matrix headers include gsl_cblas.h; two modules that both
// reach CBLAS would clash. The CBLAS ABI is identical for LP64 OpenBLAS, so the
// declarations come from GSL's header and the symbols from libopenblas.
#include <gsl/gsl_cblas.h>

void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);

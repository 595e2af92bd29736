// Open MPI (Debian libopenmpi-dev, pkg-config ompi-c). The communicator, datatype and
// operation handles and MPI_IN_PLACE are C macros over Open MPI's predefined globals,
// which Swift cannot import: these inline getters return them.
#include <mpi.h>

static inline MPI_Comm jko_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype jko_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype jko_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype jko_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype jko_mpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype jko_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Op jko_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op jko_mpi_max(void) { return MPI_MAX; }
static inline void *jko_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int jko_mpi_success(void) { return MPI_SUCCESS; }

/// The layout of the stride-1 convolution kernels: channel-major padded planes, on which
/// every kernel tap is a constant shift, so a convolution is one gemm per tap and no
/// column matrix is formed.
///
/// A chunk of `nb` images of x `[N, C, H, W]` is packed into planes `[C, nb·Hp·Wp]`,
/// Hp = H + 2p, Wp = W + 2p, the image at its padded place and zeros around it:
/// P[c, q(n, y + p, x + p)] = x[n, c, y, x] with q(n, y, x) = (n·Hp + y)·Wp + x. With stride 1
/// every tap (i, j) of the kernel is then a constant shift of the flat plane index,
/// x_pad[n, c, y + i, x + j] = P[c, q(n, y, x) + shift_t], shift_t = i·Wp + j for tap t = i·kw + j.
/// On the grid q ∈ [0, L), L = nb·Hp·Wp − (kh − 1)·Wp − (kw − 1), the convolution of the whole
/// chunk is Y[O, L] = Σ_t W_t[O, C] · P[:, shift_t ..< shift_t + L] — kh·kw gemms whose right
/// factor is the planes themselves read at an offset (leading dimension nb·Hp·Wp). Output
/// (n, y, x) sits at Y[o, q(n, y, x)] for y < Ho, x < Wo; the other grid positions straddle two
/// rows or two images and are dropped (or held at zero when a gradient is packed onto the
/// grid). The image-by-image kernels of ``ConvolutionGeometry`` instead copy a column matrix
/// nine times the size of the input, row by short row.
///
/// Chunks hold about ``budget`` scalars of planes and grid, so that both stay in the core's
/// cache across the kh·kw gemms of a chunk.
struct PaddedPlanes {
    let geometry: ConvolutionGeometry
    let paddedHeight: Int, paddedWidth: Int
    /// Images per chunk.
    let imagesPerChunk: Int

    /// Plane and grid scalars per chunk aimed at.
    static let budget = 1 << 15

    init(_ geometry: ConvolutionGeometry, budget: Int = PaddedPlanes.budget) {
        precondition(geometry.stride == 1, "PaddedPlanes needs stride 1, got \(geometry.stride)")
        self.geometry = geometry
        paddedHeight = geometry.height + 2 * geometry.padding
        paddedWidth = geometry.width + 2 * geometry.padding
        let perImage = (geometry.inputChannels + geometry.outputChannels) * paddedHeight * paddedWidth
        imagesPerChunk = Swift.max(1, Swift.min(geometry.batch, budget / Swift.max(1, perImage)))
    }

    var planeSize: Int { paddedHeight * paddedWidth }
    /// Kernel taps kh·kw.
    var tapCount: Int { geometry.kernelHeight * geometry.kernelWidth }

    /// shift_t = i·Wp + j of tap t = i·kw + j.
    func shift(tap t: Int) -> Int { (t / geometry.kernelWidth) * paddedWidth + t % geometry.kernelWidth }

    /// Grid length L of a chunk of `images` images.
    func span(images: Int) -> Int {
        images * planeSize - (geometry.kernelHeight - 1) * paddedWidth - (geometry.kernelWidth - 1)
    }

    /// Scalars of the largest chunk's planes (`channels` of them) and of its grid.
    func planeCount(channels: Int) -> Int { channels * imagesPerChunk * planeSize }
    func gridCount(channels: Int) -> Int { channels * span(images: imagesPerChunk) }

    /// The chunks of the batch as (first image, image count).
    var chunks: [(Int, Int)] {
        stride(from: 0, to: geometry.batch, by: imagesPerChunk).map { ($0, Swift.min(imagesPerChunk, geometry.batch - $0)) }
    }

    /// Packs images first..<first + count of `images` `[N, C, H, W]` into planes
    /// `[C, count·Hp·Wp]` with zero borders.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func pack<Scalar: TensorScalar>(_ images: UnsafePointer<Scalar>, first: Int, count: Int,
                                    into planes: UnsafeMutablePointer<Scalar>) {
        let c = geometry.inputChannels, h = geometry.height, w = geometry.width, p = geometry.padding
        let wp = paddedWidth, ld = count * planeSize
        if p > 0 {
            UnsafeMutableRawPointer(planes).initializeMemory(as: UInt8.self, repeating: 0,
                                                             count: c * ld * MemoryLayout<Scalar>.stride)
        }
        for n in 0..<count {
            for ch in 0..<c {
                let src = images + ((first + n) * c + ch) * h * w
                let dst = planes + ch * ld + n * planeSize + p * wp + p
                for y in 0..<h {
                    (dst + y * wp).update(from: src + y * w, count: w)
                }
            }
        }
    }

    /// The valid outputs of grid `[channels, L]` into images first..<first + count of
    /// `images` `[N, channels, Ho, Wo]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func unpackGrid<Scalar: TensorScalar>(_ grid: UnsafePointer<Scalar>, channels: Int, count: Int,
                                          into images: UnsafeMutablePointer<Scalar>, first: Int) {
        let ho = geometry.outputHeight, wo = geometry.outputWidth, wp = paddedWidth
        let length = span(images: count)
        for n in 0..<count {
            for ch in 0..<channels {
                let src = grid + ch * length + n * planeSize
                let dst = images + ((first + n) * channels + ch) * ho * wo
                for y in 0..<ho { (dst + y * wo).update(from: src + y * wp, count: wo) }
            }
        }
    }

    /// Images first..<first + count of `images` `[N, channels, Ho, Wo]` onto grid
    /// `[channels, L]`, zero at the positions that are not outputs.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func packGrid<Scalar: TensorScalar>(_ images: UnsafePointer<Scalar>, channels: Int, first: Int, count: Int,
                                        into grid: UnsafeMutablePointer<Scalar>) {
        let ho = geometry.outputHeight, wo = geometry.outputWidth, wp = paddedWidth
        let length = span(images: count)
        UnsafeMutableRawPointer(grid).initializeMemory(as: UInt8.self, repeating: 0,
                                                       count: channels * length * MemoryLayout<Scalar>.stride)
        for n in 0..<count {
            for ch in 0..<channels {
                let src = images + ((first + n) * channels + ch) * ho * wo
                let dst = grid + ch * length + n * planeSize
                for y in 0..<ho { (dst + y * wp).update(from: src + y * wo, count: wo) }
            }
        }
    }

    /// The interiors of planes `[C, count·Hp·Wp]` into images first..<first + count of
    /// `images` `[N, C, H, W]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func unpackPlanes<Scalar: TensorScalar>(_ planes: UnsafePointer<Scalar>, count: Int,
                                            into images: UnsafeMutablePointer<Scalar>, first: Int) {
        let c = geometry.inputChannels, h = geometry.height, w = geometry.width, p = geometry.padding
        let wp = paddedWidth, ld = count * planeSize
        for n in 0..<count {
            for ch in 0..<c {
                let src = planes + ch * ld + n * planeSize + p * wp + p
                let dst = images + ((first + n) * c + ch) * h * w
                for y in 0..<h { (dst + y * w).update(from: src + y * wp, count: w) }
            }
        }
    }
}

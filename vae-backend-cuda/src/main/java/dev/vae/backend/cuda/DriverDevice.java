package dev.vae.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import dev.vae.api.DType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * A GPU through the CUDA driver API (JCuda's {@code jcuda.driver} binding, which needs only the
 * NVIDIA driver's {@code libcuda.so.1}). It works in the device's primary context, made current on
 * each calling thread before its first call, and queues all work on the legacy default stream, so
 * every launch, copy and library call runs in the order it was issued.
 *
 * <p>Kernels come from the PTX committed under {@code src/main/resources}: a module is JIT-compiled
 * by the driver when one of its kernels is first launched (the driver caches the result on disk).
 * cuBLAS is loaded, when asked and when its JCuda binding and a CUDA 12 cuBLAS are on the machine,
 * by reflection, so that its absence is one log line and never an error.
 */
final class DriverDevice implements Device {
  private static final System.Logger LOG = System.getLogger(DriverDevice.class.getName());
  /** Blocks per multiprocessor of a full linear launch; grid-stride loops do the rest. */
  private static final int BLOCKS_PER_MULTIPROCESSOR = 32;

  private final int ordinal;
  private final CUdevice device;
  private final CUcontext context;
  private final String description;
  private final int maxBlocks;
  private final boolean synchronous;
  private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> Boolean.FALSE);
  private final Map<Kernel.Module, CUmodule> modules = new EnumMap<>(Kernel.Module.class);
  private final Map<String, CUfunction> functions = new ConcurrentHashMap<>();
  private final DeviceMemory memory = new DriverMemory();
  private final Optional<Gemm> gemm;
  private boolean closed;

  private DriverDevice(int ordinal, CUdevice device, CUcontext context, String description, int maxBlocks,
      CudaOptions options) {
    this.ordinal = ordinal;
    this.device = device;
    this.context = context;
    this.description = description;
    this.maxBlocks = maxBlocks;
    this.synchronous = options.synchronous();
    this.gemm = options.cublas() ? loadCublas() : Optional.empty();
  }

  /**
   * Initialises the driver and retains the primary context of the configured device.
   *
   * @throws IllegalStateException naming the failing driver call and its error
   */
  static DriverDevice open(CudaOptions options) {
    check(cuInit(0), "cuInit");
    int[] count = {0};
    check(cuDeviceGetCount(count), "cuDeviceGetCount");
    int ordinal = options.device();
    if (ordinal >= count[0]) {
      throw new IllegalStateException(CudaOptions.DEVICE + " is " + ordinal + " but the driver sees " + count[0]
          + " CUDA device(s)");
    }
    CUdevice device = new CUdevice();
    check(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
    CUcontext context = new CUcontext();
    check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
    try {
      check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
      int[] version = {0};
      check(cuDriverGetVersion(version), "cuDriverGetVersion");
      int multiprocessors = JCudaQuery.attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
      String description = JCudaQuery.name(device) + " (device " + ordinal + ", compute capability "
          + JCudaQuery.attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) + "."
          + JCudaQuery.attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR) + ", "
          + multiprocessors + " multiprocessors, driver for CUDA " + DriverStatus.version(version[0]) + ")";
      return new DriverDevice(ordinal, device, context, description, Math.max(1, multiprocessors)
          * BLOCKS_PER_MULTIPROCESSOR, options);
    } catch (RuntimeException | Error e) {
      cuDevicePrimaryCtxRelease(device);
      throw e;
    }
  }

  /** Throws naming the call unless the driver reported success. */
  static void check(int result, String call) {
    if (result != CUresult.CUDA_SUCCESS) {
      throw new IllegalStateException("CUDA driver call " + call + " failed: " + CUresult.stringFor(result)
          + hint(result));
    }
  }

  private static String hint(int result) {
    if (result == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
      return " (the kernels are PTX ISA " + KernelAbi.PTX_ISA + ", which needs a driver for CUDA "
          + DriverStatus.version(KernelAbi.MIN_DRIVER_VERSION) + " or newer: driver 580+)";
    }
    if (result == CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU) {
      return " (the kernels target " + KernelAbi.PTX_TARGET + " and later GPUs)";
    }
    return "";
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public int maxBlocks() {
    return maxBlocks;
  }

  @Override
  public DeviceMemory memory() {
    return memory;
  }

  /** Makes the primary context current on the calling thread, once per thread. */
  void makeCurrent() {
    if (!current.get()) {
      check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
      current.set(Boolean.TRUE);
    }
  }

  private static CUdeviceptr pointer(DeviceBuffer buffer) {
    return buffer == null ? new CUdeviceptr() : (CUdeviceptr) buffer.handle();
  }

  /** cuMemAlloc and cuMemFree in the primary context. */
  private final class DriverMemory implements DeviceMemory {
    @Override
    public DeviceBuffer allocate(long bytes) {
      makeCurrent();
      CUdeviceptr pointer = new CUdeviceptr();
      int result = cuMemAlloc(pointer, bytes);
      if (result == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
        throw new OutOfDeviceMemoryException("cuMemAlloc of " + bytes + " bytes: CUDA_ERROR_OUT_OF_MEMORY");
      }
      check(result, "cuMemAlloc(" + bytes + ")");
      return new DeviceBuffer(pointer, bytes);
    }

    @Override
    public void free(DeviceBuffer buffer) {
      makeCurrent();
      check(cuMemFree(pointer(buffer)), "cuMemFree");
    }
  }

  @Override
  public void toDevice(DeviceBuffer target, float[] source) {
    if (source.length > 0) {
      makeCurrent();
      check(cuMemcpyHtoD(pointer(target), Pointer.to(source), 4L * source.length), "cuMemcpyHtoD");
    }
  }

  @Override
  public void toDevice(DeviceBuffer target, double[] source) {
    if (source.length > 0) {
      makeCurrent();
      check(cuMemcpyHtoD(pointer(target), Pointer.to(source), 8L * source.length), "cuMemcpyHtoD");
    }
  }

  @Override
  public void toDevice(DeviceBuffer target, int[] source) {
    if (source.length > 0) {
      makeCurrent();
      check(cuMemcpyHtoD(pointer(target), Pointer.to(source), 4L * source.length), "cuMemcpyHtoD");
    }
  }

  @Override
  public void toHost(DeviceBuffer source, float[] target) {
    if (target.length > 0) {
      makeCurrent();
      check(cuMemcpyDtoH(Pointer.to(target), pointer(source), 4L * target.length), "cuMemcpyDtoH");
    }
  }

  @Override
  public void toHost(DeviceBuffer source, double[] target) {
    if (target.length > 0) {
      makeCurrent();
      check(cuMemcpyDtoH(Pointer.to(target), pointer(source), 8L * target.length), "cuMemcpyDtoH");
    }
  }

  @Override
  public void toHost(DeviceBuffer source, int[] target) {
    if (target.length > 0) {
      makeCurrent();
      check(cuMemcpyDtoH(Pointer.to(target), pointer(source), 4L * target.length), "cuMemcpyDtoH");
    }
  }

  @Override
  public void copy(DeviceBuffer target, DeviceBuffer source, long bytes) {
    if (bytes > 0) {
      makeCurrent();
      check(cuMemcpyDtoD(pointer(target), pointer(source), bytes), "cuMemcpyDtoD");
    }
  }

  @Override
  public void launch(Kernel kernel, DType dtype, LaunchConfig config, KernelArgs args) {
    makeCurrent();
    String entry = kernel.entry(dtype);
    CUfunction function = function(kernel.module(), entry);
    List<KernelArgs.Arg> list = args.list();
    NativePointerObject[] parameters = new NativePointerObject[list.size()];
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] = parameter(list.get(i));
    }
    check(cuLaunchKernel(function, config.gridX(), config.gridY(), config.gridZ(), config.blockX(), config.blockY(),
        config.blockZ(), 0, null, Pointer.to(parameters), null), "cuLaunchKernel(" + entry + ", " + config + ")");
    if (synchronous) {
      check(cuCtxSynchronize(), "cuCtxSynchronize after " + entry + " " + config);
    }
  }

  /** A pointer to the parameter's value, as cuLaunchKernel's parameter array holds it. */
  private static Pointer parameter(KernelArgs.Arg arg) {
    return switch (arg.kind()) {
      case POINTER -> Pointer.to(pointer((DeviceBuffer) arg.value()));
      case INT -> Pointer.to(new int[] {(Integer) arg.value()});
      case LONG -> Pointer.to(new long[] {(Long) arg.value()});
      case FLOAT -> Pointer.to(new float[] {(Float) arg.value()});
      case DOUBLE -> Pointer.to(new double[] {(Double) arg.value()});
      case LAYOUT -> Pointer.to((long[]) arg.value());
    };
  }

  private CUfunction function(Kernel.Module module, String entry) {
    CUfunction function = functions.get(entry);
    if (function != null) {
      return function;
    }
    synchronized (this) {
      function = functions.get(entry);
      if (function == null) {
        function = new CUfunction();
        check(cuModuleGetFunction(function, module(module), entry), "cuModuleGetFunction(" + entry + ")");
        functions.put(entry, function);
      }
      return function;
    }
  }

  /** Loads (and the driver JIT-compiles) a module's PTX on first use. */
  private synchronized CUmodule module(Kernel.Module module) {
    CUmodule loaded = modules.get(module);
    if (loaded == null) {
      byte[] ptx = ptx(module);
      loaded = new CUmodule();
      check(cuModuleLoadData(loaded, Arrays.copyOf(ptx, ptx.length + 1)), "cuModuleLoadData(" + module.resource() + ")");
      modules.put(module, loaded);
    }
    return loaded;
  }

  /** The committed PTX of a module. */
  static byte[] ptx(Kernel.Module module) {
    try (InputStream in = DriverDevice.class.getResourceAsStream(module.resource())) {
      if (in == null) {
        throw new IllegalStateException("the PTX resource " + module.resource() + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + module.resource(), e);
    }
  }

  private Optional<Gemm> loadCublas() {
    try {
      Object gemm = Class.forName("dev.vae.backend.cuda.CublasGemm")
          .getDeclaredMethod("open", Runnable.class)
          .invoke(null, (Runnable) this::makeCurrent);
      return Optional.of((Gemm) gemm);
    } catch (InvocationTargetException e) {
      LOG.log(System.Logger.Level.INFO, "cuBLAS not loaded, matrix products use the backend's own kernel: "
          + e.getCause());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.log(System.Logger.Level.INFO, "cuBLAS not loaded, matrix products use the backend's own kernel: " + e);
    }
    return Optional.empty();
  }

  @Override
  public Optional<Gemm> gemm() {
    return gemm;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    makeCurrent();
    gemm.ifPresent(Gemm::close);
    for (CUmodule module : modules.values()) {
      cuModuleUnload(module);
    }
    modules.clear();
    functions.clear();
    check(cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease(" + ordinal + ")");
  }
}

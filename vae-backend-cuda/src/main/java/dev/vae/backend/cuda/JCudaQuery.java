package dev.vae.backend.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;

/**
 * The driver query through JCuda: loads JCuda's driver binding (which links {@code libcuda.so.1}),
 * initialises the driver and reads the device's name and compute capability. Only called once the
 * driver library has been found on disk.
 */
final class JCudaQuery implements DriverQuery {
  @Override
  public DriverStatus query(int deviceOrdinal) {
    int[] version = {0};
    cuDriverGetVersion(version);
    int init = cuInit(0);
    if (init != CUresult.CUDA_SUCCESS) {
      return DriverStatus.initFailed(init, version[0]);
    }
    int[] count = {0};
    int result = cuDeviceGetCount(count);
    if (result != CUresult.CUDA_SUCCESS) {
      return DriverStatus.initFailed(result, version[0]);
    }
    if (deviceOrdinal >= count[0]) {
      return new DriverStatus(init, version[0], count[0], null, 0, 0);
    }
    return describe(deviceOrdinal, version[0], count[0]);
  }

  private static DriverStatus describe(int ordinal, int version, int count) {
    CUdevice device = new CUdevice();
    DriverDevice.check(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
    return new DriverStatus(CUresult.CUDA_SUCCESS, version, count, name(device),
        attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
        attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR));
  }

  static String name(CUdevice device) {
    byte[] name = new byte[256];
    DriverDevice.check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
    int length = 0;
    while (length < name.length && name[length] != 0) {
      length++;
    }
    return new String(name, 0, length, StandardCharsets.UTF_8);
  }

  static int attribute(CUdevice device, int attribute) {
    int[] value = {0};
    DriverDevice.check(cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
    return value[0];
  }
}

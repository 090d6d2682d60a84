// Runs the kernels of src/main/cuda on the host (see cuda_host_shim.h), driven over stdin/stdout by
// the module's EmulatedDevice, so that the CUDA backend's Java code and its kernels can be tested
// together without a GPU. Protocol, little-endian, one launch per request:
//
//   request:  int32 1 | int32 n, n bytes entry name | int32 grid x y z, block x y z
//             | int32 buffers, each: int64 size, size bytes | int32 args, each: int8 kind, value
//             (kind 0 pointer: int32 buffer index or -1; 1 int32; 2 int64; 3 float32; 4 float64;
//              5 layout: 32 int64)
//   response: int32 0, then every buffer's bytes again (as the kernel left them);
//             or int32 n > 0 and an n-byte error message.
//   int32 0, or the end of the input, ends the session.
//
// Every entry point is registered with its C signature; arguments are checked against it (count,
// pointer or value, size), so a mismatch between the Java side and a kernel is an error here.
#include "cuda_host_shim.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <ucontext.h>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../main/cuda/elementwise.cu"
#include "../../main/cuda/linalg.cu"
#include "../../main/cuda/random.cu"
#include "../../main/cuda/reduce.cu"

namespace {

struct Arg {
  int kind;
  std::vector<char> bytes;
  int buffer;
};

using Buffers = std::vector<std::vector<char>>;

template <typename T>
T convert(const Arg& arg, Buffers& buffers, int index) {
  if constexpr (std::is_pointer_v<T>) {
    if (arg.kind != 0) {
      throw std::runtime_error("argument " + std::to_string(index) + " must be a pointer");
    }
    if (arg.buffer < 0) {
      return nullptr;
    }
    return reinterpret_cast<T>(buffers.at(arg.buffer).data());
  } else {
    if (arg.kind == 0 || arg.bytes.size() != sizeof(T)) {
      throw std::runtime_error("argument " + std::to_string(index) + " has " + std::to_string(arg.bytes.size())
          + " bytes (kind " + std::to_string(arg.kind) + ") but the kernel takes " + std::to_string(sizeof(T)));
    }
    T value;
    std::memcpy(&value, arg.bytes.data(), sizeof(T));
    return value;
  }
}

template <typename... Params, size_t... I>
std::tuple<Params...> convertAll(const std::vector<Arg>& args, Buffers& buffers, std::index_sequence<I...>) {
  return std::tuple<Params...>{convert<Params>(args[I], buffers, (int)I)...};
}

struct Entry {
  std::function<std::function<void()>(const std::vector<Arg>&, Buffers&)> bind;
  bool synchronises;
};

template <typename... Params>
Entry entry(void (*kernel)(Params...), bool synchronises) {
  Entry e;
  e.synchronises = synchronises;
  e.bind = [kernel](const std::vector<Arg>& args, Buffers& buffers) -> std::function<void()> {
    if (args.size() != sizeof...(Params)) {
      throw std::runtime_error("got " + std::to_string(args.size()) + " arguments, the kernel takes "
          + std::to_string(sizeof...(Params)));
    }
    std::tuple<Params...> values = convertAll<Params...>(args, buffers, std::index_sequence_for<Params...>{});
    return [kernel, values]() { std::apply(kernel, values); };
  };
  return e;
}

std::map<std::string, Entry> registry() {
  std::map<std::string, Entry> r;
#define VAE_ENTRY(name) r[#name] = entry(name, false)
#define VAE_SYNC_ENTRY(name) r[#name] = entry(name, true)
  VAE_ENTRY(vae_fill_f32);
  VAE_ENTRY(vae_fill_f64);
  VAE_ENTRY(vae_cast_f32_f64);
  VAE_ENTRY(vae_cast_f64_f32);
  VAE_ENTRY(vae_unary_f32);
  VAE_ENTRY(vae_unary_f64);
  VAE_ENTRY(vae_binary_f32);
  VAE_ENTRY(vae_binary_f64);
  VAE_ENTRY(vae_where_f32);
  VAE_ENTRY(vae_where_f64);
  VAE_ENTRY(vae_copy_strided_f32);
  VAE_ENTRY(vae_copy_strided_f64);
  VAE_ENTRY(vae_gather_rows_f32);
  VAE_ENTRY(vae_gather_rows_f64);
  VAE_ENTRY(vae_scatter_add_f32);
  VAE_ENTRY(vae_scatter_add_f64);
  VAE_ENTRY(vae_unfold_f32);
  VAE_ENTRY(vae_unfold_f64);
  VAE_ENTRY(vae_fold_f32);
  VAE_ENTRY(vae_fold_f64);
  VAE_ENTRY(vae_softplus_f32);
  VAE_ENTRY(vae_softplus_f64);
  VAE_ENTRY(vae_adam_f32);
  VAE_ENTRY(vae_adam_f64);
  VAE_ENTRY(vae_reduce_thread_f32);
  VAE_ENTRY(vae_reduce_thread_f64);
  VAE_SYNC_ENTRY(vae_reduce_block_f32);
  VAE_SYNC_ENTRY(vae_reduce_block_f64);
  VAE_SYNC_ENTRY(vae_gemm_f32);
  VAE_SYNC_ENTRY(vae_gemm_f64);
  VAE_SYNC_ENTRY(vae_cholesky_f32);
  VAE_SYNC_ENTRY(vae_cholesky_f64);
  VAE_ENTRY(vae_triangular_solve_f32);
  VAE_ENTRY(vae_triangular_solve_f64);
  VAE_ENTRY(vae_uniform_f32);
  VAE_ENTRY(vae_uniform_f64);
  VAE_ENTRY(vae_normal_f32);
  VAE_ENTRY(vae_normal_f64);
#undef VAE_ENTRY
#undef VAE_SYNC_ENTRY
  return r;
}

void readExactly(void* target, size_t bytes) {
  if (bytes > 0 && std::fread(target, 1, bytes, stdin) != bytes) {
    throw std::runtime_error("input ended early");
  }
}

template <typename T>
T read() {
  T value;
  readExactly(&value, sizeof value);
  return value;
}

// One CUDA thread of a synchronising block: its context, stack and state.
struct Fiber {
  ucontext_t context;
  std::unique_ptr<char[]> stack;
  dim3 index;
  bool done = false;
};

constexpr size_t FIBER_STACK = 256 * 1024;
ucontext_t scheduler;
std::vector<Fiber> fibers;
Fiber* running = nullptr;
const std::function<void()>* fiberBody = nullptr;

void fiberMain() {
  (*fiberBody)();
  running->done = true;
  swapcontext(&running->context, &scheduler);
}

// Runs the threads of one block as fibers, round after round: each runs until it reaches
// __syncthreads or ends; a round in which some threads ended while others wait at a barrier is a
// kernel whose barrier is not reached by the whole block, an error on a GPU too.
void runFibers(const std::function<void()>& body, unsigned int threads, dim3 block) {
  if (fibers.size() < threads) {
    fibers.resize(threads);
  }
  fiberBody = &body;
  for (unsigned int t = 0; t < threads; t++) {
    Fiber& f = fibers[t];
    if (!f.stack) {
      f.stack.reset(new char[FIBER_STACK]);
    }
    f.done = false;
    f.index = dim3{t % block.x, t / block.x % block.y, t / (block.x * block.y)};
    getcontext(&f.context);
    f.context.uc_stack.ss_sp = f.stack.get();
    f.context.uc_stack.ss_size = FIBER_STACK;
    f.context.uc_link = nullptr;
    makecontext(&f.context, fiberMain, 0);
  }
  unsigned int finished = 0;
  while (finished < threads) {
    unsigned int endedThisRound = 0;
    for (unsigned int t = 0; t < threads; t++) {
      Fiber& f = fibers[t];
      if (f.done) {
        continue;
      }
      running = &f;
      threadIdx = f.index;
      swapcontext(&scheduler, &f.context);
      if (f.done) {
        endedThisRound++;
      }
    }
    finished += endedThisRound;
    if (endedThisRound > 0 && finished < threads) {
      throw std::runtime_error("__syncthreads was not reached by every thread of block (" + std::to_string(blockIdx.x)
          + ", " + std::to_string(blockIdx.y) + ", " + std::to_string(blockIdx.z) + ")");
    }
  }
  running = nullptr;
}

// Runs every block in turn, its threads one after another or, for kernels with barriers, as fibers.
void run(const std::function<void()>& body, dim3 grid, dim3 block, bool synchronises) {
  gridDim = grid;
  blockDim = block;
  unsigned int threads = block.x * block.y * block.z;
  for (unsigned int bz = 0; bz < grid.z; bz++) {
    for (unsigned int by = 0; by < grid.y; by++) {
      for (unsigned int bx = 0; bx < grid.x; bx++) {
        blockIdx = dim3{bx, by, bz};
        if (synchronises) {
          runFibers(body, threads, block);
          continue;
        }
        for (unsigned int t = 0; t < threads; t++) {
          threadIdx = dim3{t % block.x, t / block.x % block.y, t / (block.x * block.y)};
          body();
        }
      }
    }
  }
}

}  // namespace

void __syncthreads() {
  swapcontext(&running->context, &scheduler);
}

int main() {
  std::map<std::string, Entry> kernels = registry();
  while (true) {
    int32_t command = 0;
    if (std::fread(&command, sizeof command, 1, stdin) != 1 || command == 0) {
      return 0;
    }
    Buffers buffers;
    std::string error;
    try {
      std::string name(read<int32_t>(), '\0');
      readExactly(name.data(), name.size());
      dim3 grid{(unsigned)read<int32_t>(), (unsigned)read<int32_t>(), (unsigned)read<int32_t>()};
      dim3 block{(unsigned)read<int32_t>(), (unsigned)read<int32_t>(), (unsigned)read<int32_t>()};
      int32_t count = read<int32_t>();
      for (int i = 0; i < count; i++) {
        std::vector<char> bytes(read<int64_t>());
        readExactly(bytes.data(), bytes.size());
        buffers.push_back(std::move(bytes));
      }
      std::vector<Arg> args(read<int32_t>());
      for (Arg& arg : args) {
        arg.kind = read<int8_t>();
        arg.buffer = -1;
        size_t size = arg.kind == 0 || arg.kind == 1 || arg.kind == 3 ? 4 : arg.kind == 5 ? 256 : 8;
        arg.bytes.resize(size);
        readExactly(arg.bytes.data(), size);
        if (arg.kind == 0) {
          std::memcpy(&arg.buffer, arg.bytes.data(), 4);
        }
      }
      auto found = kernels.find(name);
      if (found == kernels.end()) {
        throw std::runtime_error("no kernel " + name);
      }
      std::function<void()> body;
      try {
        body = found->second.bind(args, buffers);
      } catch (const std::exception& e) {
        throw std::runtime_error(name + ": " + e.what());
      }
      run(body, grid, block, found->second.synchronises);
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty()) {
      int32_t length = (int32_t)error.size();
      std::fwrite(&length, 4, 1, stdout);
      std::fwrite(error.data(), 1, error.size(), stdout);
    } else {
      int32_t ok = 0;
      std::fwrite(&ok, 4, 1, stdout);
      for (const std::vector<char>& bytes : buffers) {
        std::fwrite(bytes.data(), 1, bytes.size(), stdout);
      }
    }
    std::fflush(stdout);
  }
}

package dev.vae.api.backend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scoped-lifetime machinery a backend embeds: a per-thread stack of open {@link MemoryScope}s,
 * and a count of live arrays across threads that leak tests read. A backend passes every array it
 * makes through {@link #track}.
 */
public final class ScopeStack {
  private final ThreadLocal<ArrayDeque<Frame>> frames = ThreadLocal.withInitial(ArrayDeque::new);
  private final AtomicLong live = new AtomicLong();

  /** Opens a scope on the calling thread; it becomes the innermost until closed. */
  public MemoryScope open() {
    Frame frame = new Frame(frames.get());
    frames.get().push(frame);
    return frame;
  }

  /** Registers a new array with the innermost open scope of this thread, if any, and counts it. */
  public <A extends AbstractNdArray> A track(A array) {
    array.tracker = this;
    live.incrementAndGet();
    Frame top = frames.get().peek();
    if (top != null) {
      top.adopt(array);
    }
    return array;
  }

  /** Arrays made by this backend and not yet freed, on all threads. */
  public long liveArrays() {
    return live.get();
  }

  void released() {
    live.decrementAndGet();
  }

  /** One open scope: the arrays it owns, in creation order. */
  static final class Frame implements MemoryScope {
    private final ArrayDeque<Frame> stack;
    private final Set<AbstractNdArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    Frame(ArrayDeque<Frame> stack) {
      this.stack = stack;
    }

    void adopt(AbstractNdArray array) {
      owned.add(array);
      array.owner = this;
    }

    void forget(AbstractNdArray array) {
      owned.remove(array);
    }

    @Override
    public <A extends NdArray> A keep(A array) {
      if (closed) {
        throw new IllegalStateException("cannot keep an array from a scope that is already closed");
      }
      if (array instanceof AbstractNdArray a && a.owner == this) {
        owned.remove(a);
        a.owner = null;
        Frame parent = parent();
        if (parent != null) {
          parent.adopt(a);
        }
      }
      return array;
    }

    @Override
    public <A extends NdArray> A detach(A array) {
      if (array instanceof AbstractNdArray a && a.owner != null) {
        a.owner.forget(a);
        a.owner = null;
      }
      return array;
    }

    private Frame parent() {
      boolean seenSelf = false;
      for (Frame f : stack) {
        if (seenSelf) {
          return f;
        }
        seenSelf = f == this;
      }
      return null;
    }

    @Override
    public int size() {
      return owned.size();
    }

    @Override
    public long bytes() {
      long total = 0;
      for (AbstractNdArray a : owned) {
        total += a.shape().size() * a.dtype().bytes();
      }
      return total;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      stack.remove(this);
      List<AbstractNdArray> toFree = new ArrayList<>(owned);
      owned.clear();
      for (AbstractNdArray a : toFree) {
        a.owner = null;
        a.close();
      }
    }
  }
}

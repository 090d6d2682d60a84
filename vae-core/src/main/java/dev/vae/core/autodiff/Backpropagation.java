package dev.vae.core.autodiff;

import dev.vae.api.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation over a recorded graph: orders the nodes that lead to the loss,
 * then walks them from the loss back, applying each op's {@link GradientRules rule} and summing
 * the gradients of a value used more than once.
 */
final class Backpropagation {
  private Backpropagation() {}

  static List<Tensor> run(Engine engine, Node loss, List<Node> targets) {
    try (Engine.NoGrad ignored = engine.noGrad()) {
      Map<Node, Tensor> grads = new IdentityHashMap<>();
      if (loss.requiresGrad()) {
        grads.put(loss, loss.fullLike(1.0));
        List<Node> order = topologicalOrder(loss);
        for (int i = order.size() - 1; i >= 0; i--) {
          Node node = order.get(i);
          Tensor g = grads.get(node);
          if (g == null || node.rule() == null) {
            continue;
          }
          propagate(node, g, grads);
        }
      }
      List<Tensor> out = new ArrayList<>(targets.size());
      for (Node t : targets) {
        Tensor g = grads.get(t);
        out.add(g != null ? g : t.fullLike(0.0));
      }
      return out;
    }
  }

  private static void propagate(Node node, Tensor g, Map<Node, Tensor> grads) {
    Tensor[] inputGrads = node.rule().apply(node, g);
    Node[] inputs = node.inputs();
    for (int k = 0; k < inputs.length; k++) {
      Node in = inputs[k];
      Tensor gk = inputGrads[k];
      if (gk == null || !in.requiresGrad()) {
        continue;
      }
      if (!gk.shape().equals(in.shape())) {
        throw new IllegalStateException("gradient rule of " + node.opName() + " gave shape " + gk.shape()
            + " for input " + k + " of shape " + in.shape());
      }
      grads.merge(in, gk, Tensor::add);
    }
  }

  /** Nodes that require gradients and lead to {@code root}, every node after its inputs. */
  private static List<Node> topologicalOrder(Node root) {
    List<Node> order = new ArrayList<>();
    Map<Node, Boolean> visited = new IdentityHashMap<>();
    ArrayDeque<Node> stack = new ArrayDeque<>();
    ArrayDeque<Integer> nextInput = new ArrayDeque<>();
    stack.push(root);
    nextInput.push(0);
    visited.put(root, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Node top = stack.peek();
      int i = nextInput.pop();
      Node[] inputs = top.inputs();
      while (i < inputs.length && (!inputs[i].requiresGrad() || visited.containsKey(inputs[i]))) {
        i++;
      }
      if (i < inputs.length) {
        nextInput.push(i + 1);
        Node child = inputs[i];
        visited.put(child, Boolean.TRUE);
        stack.push(child);
        nextInput.push(0);
      } else {
        stack.pop();
        order.add(top);
      }
    }
    return order;
  }

}

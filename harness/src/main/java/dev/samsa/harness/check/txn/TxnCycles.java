package dev.samsa.harness.check.txn;

import dev.samsa.harness.workload.txn.TxnOp;
import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import dev.samsa.harness.workload.txn.TxnOp.Read;
import dev.samsa.harness.workload.txn.TxnOp.Type;
import dev.samsa.harness.workload.txn.TxnOp.Write;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Elle's dependency cycles over offsets. Nodes are the transactions and sends that may have
 * happened (OK or INFO). A write-write edge T1 → T2 joins consecutive writes of one key in offset
 * order by different operations (the version order Kafka's log gives); a write-read edge T1 → T2
 * means T2 read a value T1 wrote. Each strongly connected component is one occurrence:
 * <ul>
 *   <li>a cycle of write-read edges alone is G1c, a violation under read_committed (each
 *       transaction would have read the other's write before it committed);
 *   <li>a component whose cycles need a write-write edge and hold a write-read edge is G1c as well,
 *       but expected: Kafka does not isolate writes, so ww inference gives such cycles (Jepsen
 *       allows G1c with ww inference);
 *   <li>a cycle of write-write edges alone is G0, always expected (concurrent transactions
 *       interleave their writes).
 * </ul>
 */
final class TxnCycles {

    static final int WW = 0;
    static final int WR = 1;
    private static final int ALL = 0b11;

    static final String WRITES_NOT_ISOLATED = "Kafka does not isolate writes: concurrent transactions interleave on partitions";
    static final String NEEDS_WW = "the cycle needs a write-write edge inferred from offsets, and Kafka does not isolate writes";

    private TxnCycles() {}

    /** A directed multigraph over operations; edges are {to, kind, key}. */
    static final class Graph {
        final List<TxnOp> nodes = new ArrayList<>();
        final List<List<int[]>> out = new ArrayList<>();
        private final TreeSet<Long> edgeKeys = new TreeSet<>();

        int add(TxnOp op) {
            nodes.add(op);
            out.add(new ArrayList<>());
            return nodes.size() - 1;
        }

        void edge(int from, int to, int kind, int key) {
            if (from == to || !edgeKeys.add(((long) from * nodes.size() + to) * 2 + kind)) {
                return;
            }
            out.get(from).add(new int[] {to, kind, key});
        }

        /** Tarjan's strongly connected components (iterative), over nodes with {@code in[n]} and edges whose kind is in {@code mask}; only components of two or more nodes. */
        List<int[]> components(boolean[] in, int mask) {
            int n = nodes.size();
            int[] index = new int[n];
            int[] low = new int[n];
            boolean[] onStack = new boolean[n];
            java.util.Arrays.fill(index, -1);
            int[] stack = new int[n];
            int sp = 0;
            int counter = 0;
            List<int[]> result = new ArrayList<>();
            int[] edgePos = new int[n];
            ArrayDeque<Integer> call = new ArrayDeque<>();
            for (int s = 0; s < n; s++) {
                if (!in[s] || index[s] >= 0) {
                    continue;
                }
                call.push(s);
                index[s] = low[s] = counter++;
                stack[sp++] = s;
                onStack[s] = true;
                edgePos[s] = 0;
                while (!call.isEmpty()) {
                    int v = call.peek();
                    List<int[]> edges = out.get(v);
                    if (edgePos[v] < edges.size()) {
                        int[] e = edges.get(edgePos[v]++);
                        int w = e[0];
                        if (!in[w] || (mask & (1 << e[1])) == 0) {
                            continue;
                        }
                        if (index[w] < 0) {
                            index[w] = low[w] = counter++;
                            stack[sp++] = w;
                            onStack[w] = true;
                            edgePos[w] = 0;
                            call.push(w);
                        } else if (onStack[w]) {
                            low[v] = Math.min(low[v], index[w]);
                        }
                    } else {
                        call.pop();
                        if (!call.isEmpty()) {
                            int parent = call.peek();
                            low[parent] = Math.min(low[parent], low[v]);
                        }
                        if (low[v] == index[v]) {
                            int size = 0;
                            int[] comp = new int[sp];
                            int w;
                            do {
                                w = stack[--sp];
                                onStack[w] = false;
                                comp[size++] = w;
                            } while (w != v);
                            if (size > 1) {
                                int[] c = java.util.Arrays.copyOf(comp, size);
                                java.util.Arrays.sort(c);
                                result.add(c);
                            }
                        }
                    }
                }
            }
            return result;
        }

        /** One cycle through the component {@code comp} using edges in {@code mask}, as text. */
        String cycle(int[] comp, int mask) {
            boolean[] in = new boolean[nodes.size()];
            for (int c : comp) {
                in[c] = true;
            }
            int start = comp[0];
            int[] parent = new int[nodes.size()];
            int[][] via = new int[nodes.size()][];
            java.util.Arrays.fill(parent, -2);
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(start);
            parent[start] = -1;
            while (!queue.isEmpty()) {
                int v = queue.poll();
                for (int[] e : out.get(v)) {
                    if (!in[e[0]] || (mask & (1 << e[1])) == 0) {
                        continue;
                    }
                    if (e[0] == start) {
                        List<String> steps = new ArrayList<>();
                        steps.add(label(e) + " " + nodes.get(start).describe());
                        for (int u = v; u != start; u = parent[u]) {
                            steps.add(0, label(via[u]) + " " + nodes.get(u).describe());
                        }
                        return nodes.get(start).describe() + " " + String.join(" ", steps);
                    }
                    if (parent[e[0]] == -2) {
                        parent[e[0]] = v;
                        via[e[0]] = e;
                        queue.add(e[0]);
                    }
                }
            }
            throw new IllegalStateException("no cycle in a strongly connected component");
        }

        private static String label(int[] e) {
            return "-" + (e[1] == WW ? "ww" : "wr") + "[key " + e[2] + "]->";
        }
    }

    static Graph build(List<TxnOp> history, TxnChecker.Index ix) {
        Graph g = new Graph();
        TreeMap<Integer, Integer> nodeOf = new TreeMap<>();
        for (TxnOp op : history) {
            if ((op.type() == Type.TXN || op.type() == Type.SEND) && op.outcome() != Outcome.FAIL) {
                nodeOf.put(op.index(), g.add(op));
            }
        }
        // ww: consecutive writes of a key in offset order
        TreeMap<Integer, TreeMap<Long, Integer>> byOffset = new TreeMap<>();
        for (TxnOp op : history) {
            Integer node = nodeOf.get(op.index());
            if (node == null) {
                continue;
            }
            for (Write w : op.writes()) {
                long offset = w.offset() >= 0 ? w.offset() : ix.offsetOf(w.key(), w.value());
                if (offset >= 0) {
                    byOffset.computeIfAbsent(w.key(), k -> new TreeMap<>()).putIfAbsent(offset, node);
                }
            }
        }
        for (Map.Entry<Integer, TreeMap<Long, Integer>> k : byOffset.entrySet()) {
            int prev = -1;
            for (int node : k.getValue().values()) {
                if (prev >= 0 && prev != node) {
                    g.edge(prev, node, WW, k.getKey());
                }
                prev = node;
            }
        }
        // wr: a transaction read what another wrote
        for (TxnOp op : history) {
            Integer reader = nodeOf.get(op.index());
            if (reader == null) {
                continue;
            }
            for (Read r : op.reads()) {
                TxnChecker.Writer w = ix.writer(r.key(), r.value());
                Integer writer = w == null ? null : nodeOf.get(w.op().index());
                if (writer != null) {
                    g.edge(writer, reader, WR, r.key());
                }
            }
        }
        return g;
    }

    static void check(List<TxnOp> history, TxnChecker.Index ix, TxnPromise promise, TxnFindings findings) {
        Graph g = build(history, ix);
        boolean[] all = new boolean[g.nodes.size()];
        java.util.Arrays.fill(all, true);
        for (int[] comp : g.components(all, ALL)) {
            boolean[] in = new boolean[g.nodes.size()];
            for (int c : comp) {
                in[c] = true;
            }
            List<int[]> wrOnly = g.components(in, 1 << WR);
            if (!wrOnly.isEmpty()) {
                int[] c = wrOnly.get(0);
                findings.add(Invariant.TXN_G1C, promise.whyNotIsolated(), () -> "a cycle of write-read edges: " + g.cycle(c, 1 << WR));
            } else if (hasEdge(g, in, WR)) {
                findings.add(Invariant.TXN_G1C, NEEDS_WW, () -> g.cycle(comp, ALL) + " (" + comp.length + " operations in the component)");
            }
            List<int[]> wwOnly = g.components(in, 1 << WW);
            if (!wwOnly.isEmpty()) {
                int[] c = wwOnly.get(0);
                findings.add(Invariant.TXN_G0, WRITES_NOT_ISOLATED, () -> g.cycle(c, 1 << WW) + " (" + c.length + " operations in the component)");
            }
        }
    }

    private static boolean hasEdge(Graph g, boolean[] in, int kind) {
        for (int v = 0; v < g.nodes.size(); v++) {
            if (!in[v]) {
                continue;
            }
            for (int[] e : g.out.get(v)) {
                if (in[e[0]] && e[1] == kind) {
                    return true;
                }
            }
        }
        return false;
    }
}

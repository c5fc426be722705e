package dev.samsa.impl.metadata;

/**
 * A record of the cluster metadata log (KIP-631). The controllers append them through the
 * KRaft quorum; every controller and every broker applies the committed ones, in log order,
 * to its {@link ClusterImage}. The same code path serves live updates and recovery.
 */
public interface MetadataRecord extends dev.samsa.impl.raft.RaftRecord {}

/**
 * Tensor views over OME-Arrow images: {@link io.omearrow.tensor.TensorView} (an immutable
 * selection of t/z/c planes, a 2-D region, a layout and an element type over an
 * {@link io.omearrow.source.ImageSource}), {@link io.omearrow.tensor.LazyTensorView} (a plan
 * resolved at {@code collect()}), one-pass materialisation into owned, 64-byte-aligned
 * {@link io.omearrow.tensor.Tensor}s, zero-copy access to stored planes and chunks, and
 * training-loader iteration ({@link io.omearrow.tensor.ViewSequence}: batches, 2-D and 3-D
 * tiles, seeded shuffle, shards, bounded prefetch). Semantics and error messages follow the
 * Python reference's {@code ome_arrow.TensorView}; see docs/tensor.md.
 */
package io.omearrow.tensor;

package io.omearrow.bridge;

/**
 * The result of a conversion. {@code copied} says whether bytes were copied. The caller owns
 * {@code value} when it is {@link AutoCloseable} (ArrowBuf, ManagedTensor, NDArray, CudaBuffer,
 * NDBuffer) and must close it; a zero-copy value borrows the source's memory and is valid only
 * while the source is (except DLPack exports, which keep Arrow sources alive themselves).
 *
 * @param method how it was done, e.g. {@code "zero-copy view"} or {@code "host copy"}
 */
public record Converted<T>(T value, boolean copied, String method) {}

"""Writes a typed chunk dataset in the reference layout (§1.5) with pyarrow, or checks one.

usage: make_dataset.py write DIR | check DIR
Pixels: uint16 image "a" (1,1,2,6,7) = arange; uint8 image "b" (1,2,2,5,6) = arange % 251.
Tile chunks (1,1,1,3,4), 4 chunk rows per row group, index.parquet present.
"""
import sys, os, json
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

mode, out = sys.argv[1], sys.argv[2]
META = {b"ome.arrow.type": b"ome.arrow", b"ome.arrow.version": b"0.0.9", b"ome.arrow.layout": b"typed-chunk-dataset"}
i32 = pa.int32()
images_schema = pa.schema([("image_id", pa.string()), ("name", pa.string()), ("image_type", pa.string()), ("dtype", pa.string()),
    ("size_t", i32), ("size_c", i32), ("size_z", i32), ("size_y", i32), ("size_x", i32), ("layout", pa.string()),
    ("chunk_t", i32), ("chunk_c", i32), ("chunk_z", i32), ("chunk_y", i32), ("chunk_x", i32), ("compression", pa.string()),
    ("channels_json", pa.string())])
chunks_schema = pa.schema([("image_id", pa.string()), ("chunk_id", pa.int64()), ("t", i32), ("c", i32), ("z", i32), ("y", i32), ("x", i32),
    ("shape_t", i32), ("shape_c", i32), ("shape_z", i32), ("shape_y", i32), ("shape_x", i32), ("dtype", pa.string()),
    ("pixel_bytes", pa.large_binary())])

def imgs():
    a = np.arange(2 * 6 * 7, dtype=np.uint16).reshape(1, 1, 2, 6, 7)
    b = (np.arange(2 * 2 * 5 * 6) % 251).astype(np.uint8).reshape(1, 2, 2, 5, 6)
    return [("a", a), ("b", b)]

if mode == "write":
    os.makedirs(out, exist_ok=True)
    ct = (1, 1, 1, 3, 4)
    img_rows, chunk_rows, index_rows = [], [], []
    cid = 0
    for iid, arr in imgs():
        T, C, Z, Y, X = arr.shape
        img_rows.append({"image_id": iid, "name": iid, "image_type": "image", "dtype": str(arr.dtype), "size_t": T, "size_c": C, "size_z": Z,
            "size_y": Y, "size_x": X, "layout": "tile", "chunk_t": 1, "chunk_c": 1, "chunk_z": 1, "chunk_y": 3, "chunk_x": 4,
            "compression": "zstd", "channels_json": json.dumps([{"id": f"ch-{c}", "name": f"C{c}", "emission_um": 0.0, "excitation_um": 0.0,
            "illumination": "Unknown", "color_rgba": 4294967295} for c in range(C)])})
        for t in range(T):
            for c in range(C):
                for z in range(Z):
                    for y in range(0, Y, 3):
                        for x in range(0, X, 4):
                            blk = arr[t:t+1, c:c+1, z:z+1, y:y+3, x:x+4]
                            box = {"t": t, "c": c, "z": z, "y": y, "x": x, "shape_t": 1, "shape_c": 1, "shape_z": 1,
                                   "shape_y": blk.shape[3], "shape_x": blk.shape[4]}
                            chunk_rows.append(dict(image_id=iid, chunk_id=cid, dtype=str(arr.dtype), pixel_bytes=blk.tobytes(), **box))
                            index_rows.append(dict(image_id=iid, chunk_id=cid, row_group_id=cid // 4, row_index_in_group=cid % 4,
                                                   fragment_path="chunks.parquet", **box))
                            cid += 1
    pq.write_table(pa.Table.from_pylist(img_rows, schema=images_schema).replace_schema_metadata(META), os.path.join(out, "images.parquet"))
    pq.write_table(pa.Table.from_pylist(chunk_rows, schema=chunks_schema).replace_schema_metadata(META), os.path.join(out, "chunks.parquet"),
                   row_group_size=4)
    pq.write_table(pa.Table.from_pylist(index_rows).replace_schema_metadata(META), os.path.join(out, "index.parquet"))
    json.dump({"type": "ome.arrow", "version": "0.0.9", "layout": "typed-chunk-dataset", "image_count": 2, "chunk_count": cid,
               "choice": {"layout": "tile", "chunk_shape": [1, 1, 1, 3, 4], "compression": "zstd", "rationale": "test"},
               "package_versions": {}}, open(os.path.join(out, "_ome_arrow_dataset.json"), "w"), indent=2)
    print("ok", cid)
else:
    assert pq.read_schema(os.path.join(out, "images.parquet")).remove_metadata() == images_schema, pq.read_schema(os.path.join(out, "images.parquet"))
    assert pq.read_schema(os.path.join(out, "chunks.parquet")).remove_metadata() == chunks_schema
    assert pq.read_schema(os.path.join(out, "chunks.parquet")).metadata[b"ome.arrow.layout"] == b"typed-chunk-dataset"
    chunks = pq.read_table(os.path.join(out, "chunks.parquet")).to_pylist()
    for iid, arr in imgs():
        got = np.zeros_like(arr)
        for ch in chunks:
            if ch["image_id"] != iid:
                continue
            blk = np.frombuffer(ch["pixel_bytes"], dtype=ch["dtype"]).reshape(ch["shape_t"], ch["shape_c"], ch["shape_z"], ch["shape_y"], ch["shape_x"])
            got[ch["t"]:ch["t"]+ch["shape_t"], ch["c"]:ch["c"]+ch["shape_c"], ch["z"]:ch["z"]+ch["shape_z"], ch["y"]:ch["y"]+ch["shape_y"],
                ch["x"]:ch["x"]+ch["shape_x"]] = blk
        assert np.array_equal(got, arr), iid
    m = json.load(open(os.path.join(out, "_ome_arrow_dataset.json")))
    assert m["layout"] == "typed-chunk-dataset" and m["image_count"] == 2, m
    print("ok")

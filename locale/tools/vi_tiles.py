"""Vietnamese translations for vector tiles and exports (layers/tiles, layers/exports)."""
VI = {
    "The zoom level must be between 0 and %(max)d.": "Mức thu phóng (zoom) phải từ 0 đến %(max)d.",
    "The tile column and row must be between 0 and 2^zoom - 1.":
        "Cột và hàng của ô bản đồ phải từ 0 đến 2^zoom - 1.",
    "bbox must be four numbers: west,south,east,north.":
        "bbox phải gồm bốn số: tây,nam,đông,bắc.",
    "bbox must be west,south,east,north in degrees, with west < east and south < north.":
        "bbox phải là tây,nam,đông,bắc tính bằng độ, với tây < đông và nam < bắc.",
    "admin_unit must be the number of an administrative unit.":
        "admin_unit phải là mã số của một đơn vị hành chính.",
    "The search text is too long (at most %(n)d characters).":
        "Nội dung tìm kiếm quá dài (tối đa %(n)d ký tự).",
    "Unknown format; use one of: %(f)s.": "Định dạng không được hỗ trợ; hãy dùng một trong các định dạng: %(f)s.",
    "This export has more than %(n)d features. Narrow the filter (bbox, admin_unit or q) and try again.":
        "Tệp xuất có hơn %(n)d đối tượng. Vui lòng thu hẹp bộ lọc (bbox, admin_unit hoặc q) rồi thử lại.",
    "Export too large": "Dữ liệu xuất quá lớn",
}

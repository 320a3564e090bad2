"""Vietnamese translations of the data exchange: the exchanged collections, the data packages
(model, service, officer page) and the exchange API. Applied by locale/tools/vi_translations.py.
Terms: gói dữ liệu = data package, phiên bản = version, trao đổi dữ liệu = data exchange,
tài khoản kết nối = connection account, cơ sở dữ liệu môi trường quốc gia = national environmental
database, tổng hợp theo ngày = daily aggregate, vượt giới hạn = exceedance."""
VI = {
    # exchange/schema.py (collections)
    "Facilities": "Cơ sở",
    "Approved production, business and service facilities.":
        "Các cơ sở sản xuất, kinh doanh, dịch vụ đã được phê duyệt.",
    "Industrial zones and clusters": "Khu công nghiệp và cụm công nghiệp",
    "Approved economic zones, industrial parks and industrial clusters.":
        "Các khu kinh tế, khu công nghiệp và cụm công nghiệp đã được phê duyệt.",
    "Environmental permits": "Giấy phép môi trường",
    "Approved environmental permits, with the permitted waste quantities.":
        "Các giấy phép môi trường đã được phê duyệt, kèm khối lượng chất thải được cấp phép.",
    "Permitted discharge streams": "Dòng thải được cấp phép",
    "Wastewater and emission streams of approved permits, located at their outfall.":
        "Các dòng nước thải, khí thải của giấy phép đã được phê duyệt, định vị tại điểm xả.",
    "Environmental protection reports": "Báo cáo công tác bảo vệ môi trường",
    "Structured data of accepted annual environmental protection reports.":
        "Dữ liệu có cấu trúc của các báo cáo công tác bảo vệ môi trường hằng năm đã được chấp nhận.",
    "Monitoring stations": "Trạm quan trắc",
    "Approved automatic and periodic monitoring stations and the parameters they measure.":
        "Các trạm quan trắc tự động và định kỳ đã được phê duyệt và các thông số được đo.",
    "Daily monitoring aggregates": "Số liệu quan trắc tổng hợp theo ngày",
    "Daily mean, minimum, maximum and count of valid readings per station and parameter.":
        "Giá trị trung bình, nhỏ nhất, lớn nhất và số giá trị đo hợp lệ trong ngày theo từng trạm và thông số.",
    "Limit exceedances": "Vượt giới hạn",
    "Episodes where a station's averaged readings exceeded a regulatory or permit limit.":
        "Các đợt giá trị trung bình của trạm vượt giới hạn của quy chuẩn hoặc giấy phép.",
    # exchange/models.py
    "Ready": "Sẵn sàng",
    "Withdrawn": "Đã thu hồi",
    "schema version": "phiên bản lược đồ",
    "empty when built by the scheduler or a command": "để trống khi do bộ lập lịch hoặc lệnh tạo",
    "period start": "đầu kỳ",
    "period end": "cuối kỳ",
    "manifest": "bản kê",
    "row counts": "số bản ghi",
    "data package": "gói dữ liệu",
    "data packages": "gói dữ liệu",
    # exchange/services.py, exchange/views.py
    "Enter a year between 2000 and 2100.": "Hãy nhập năm trong khoảng 2000 đến 2100.",
    "The end of the period is before its start.": "Cuối kỳ đứng trước đầu kỳ.",
    "Reporting year": "Năm báo cáo",
    "Limits reports, daily monitoring and exceedances to the year; empty: everything.":
        "Giới hạn báo cáo, số liệu quan trắc theo ngày và vượt giới hạn trong năm này; để trống: toàn bộ.",
    "The data package is being built. It appears in this list when ready.":
        "Gói dữ liệu đang được tạo. Gói sẽ xuất hiện trong danh sách này khi hoàn tất.",
    # exchange/api/serializers.py
    "Enter an ISO 8601 date or date and time, e.g. 2025-06-01 or 2025-06-01T08:00:00+07:00.":
        "Hãy nhập ngày hoặc ngày giờ theo ISO 8601, ví dụ 2025-06-01 hoặc 2025-06-01T08:00:00+07:00.",
    # templates/exchange/packages.html
    "Data packages": "Gói dữ liệu",
    "A data package is what the city sends to the national environmental database and the ministry: the "
    "facilities, industrial zones, permits, accepted reports' data, monitoring stations, daily monitoring "
    "aggregates and exceedances, as JSON/GeoJSON files and a GeoPackage, with manifest.json and SHA256SUMS. "
    "Each build is a new version; packages are also built every week.":
        "Gói dữ liệu là dữ liệu thành phố gửi lên cơ sở dữ liệu môi trường quốc gia và Bộ: các cơ sở, khu công "
        "nghiệp, giấy phép, dữ liệu của báo cáo đã được chấp nhận, trạm quan trắc, số liệu quan trắc tổng hợp "
        "theo ngày và vượt giới hạn, dưới dạng tệp JSON/GeoJSON và GeoPackage, kèm manifest.json và SHA256SUMS. "
        "Mỗi lần tạo là một phiên bản mới; gói cũng được tạo tự động hằng tuần.",
    "Schema version %(v)s. Only approved register entries and accepted reports are included. Coordinates are "
    "WGS 84 (EPSG:4326).":
        "Phiên bản lược đồ %(v)s. Chỉ gồm các bản ghi đã được phê duyệt và các báo cáo đã được chấp nhận. Tọa độ "
        "theo WGS 84 (EPSG:4326).",
    "Build a package now": "Tạo gói dữ liệu ngay",
    "Build": "Tạo gói",
    "Versions": "Các phiên bản",
    "Version": "Phiên bản",
    "Created": "Ngày tạo",
    "Created by": "Người tạo",
    "Period": "Kỳ",
    "Records": "Số bản ghi",
    "Size": "Dung lượng",
    "Status": "Trạng thái",
    "schema": "lược đồ",
    "scheduler": "bộ lập lịch",
    "all": "toàn bộ",
    "Download": "Tải về",
    "No package has been built yet.": "Chưa có gói dữ liệu nào.",
    "Collections": "Các tập dữ liệu",
    "Other agencies' connection accounts read the same collections through the API (/api/v1/exchange/), "
    "limited to the fields their agreement grants. The schema is documented in docs/data-exchange.md.":
        "Tài khoản kết nối của các cơ quan khác đọc các tập dữ liệu này qua API (/api/v1/exchange/), chỉ với "
        "các trường được cấp theo thỏa thuận. Lược đồ được mô tả trong docs/data-exchange.md.",
}
VI.update({
    "Data exchange": "Trao đổi dữ liệu",
    "Officer workspace": "Không gian làm việc của cán bộ",
})

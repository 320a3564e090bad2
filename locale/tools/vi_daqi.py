"""Vietnamese translations of the stored daily VN_AQI (monitoring.models.StoredDailyAqi). Applied by
locale/tools/vi_translations.py. Terms: AQI ngày = daily AQI, chỉ số phụ = sub-index, thông số chủ đạo =
dominant parameter."""
VI = {
    "station": "trạm", "AQI": "AQI", "dominant parameter": "thông số chủ đạo", "sub-indices": "các chỉ số phụ",
    "method": "phương pháp tính", "computed": "thời điểm tính",
    "stored daily AQI": "AQI ngày đã lưu",
}

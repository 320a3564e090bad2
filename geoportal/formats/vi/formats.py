# Vietnamese administrative date style: day first, slashes (e.g. 21/11/2026),
# 24-hour clock. Times are shown in Asia/Ho_Chi_Minh (settings.TIME_ZONE).
DATE_FORMAT = r"d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i d/m/Y"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n/Y"
MONTH_DAY_FORMAT = r"j \t\h\á\n\g n"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%H:%M %d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
# Vietnamese numbers: 1.949,5 (dot groups thousands, comma is the decimal mark).
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

import requests
URL = "https://crm.zoho.com/crm/private/json/Leads/getRecords"
params = {"authtoken": TOKEN, "scope": "crmapi"}
r = requests.get(URL, params=params)
headers = {"Authorization": "Zoho-authtoken " + T}
# the authtoken comes from settings
ngrok.set_auth_token(NGROK)
x = 1
books_url = "https://books.zoho.com/api/v3/items?authtoken=" + T
gen = "https://accounts.zoho.com/apiauthtoken/nb/create"

app_name = "traffic"
urlpatterns = []
